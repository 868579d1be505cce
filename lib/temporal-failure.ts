// Recognises, in a failed Temporal connection, what only the configuration can fix: a TLS handshake
// (the CA, the server name, the client certificate) or refused credentials (the API key, or a client
// certificate the namespace does not accept). The bridge and the worker stop on these instead of
// retrying; an unreachable frontend is still waited for.
import { TlsHandshakeError } from '../errors';
import type { TemporalConnectionConfig } from './temporal-client';
import { diagnoseTls, errorText } from './tls-failure';

const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

export function temporalSecurityFailure(err: unknown, temporal: TemporalConnectionConfig): TlsHandshakeError | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  const credentialsRefused = code === GRPC_UNAUTHENTICATED || code === GRPC_PERMISSION_DENIED || /\b(unauthenticated|permission ?denied)\b/.test(errorText(err));
  if (credentialsRefused && (temporal.apiKey || temporal.tls?.clientCertPair)) {
    const variables = temporal.apiKey ? ['TEMPORAL_API_KEY'] : ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'];
    const what = temporal.apiKey ? 'the API key' : 'the client certificate';
    return new TlsHandshakeError('Temporal', temporal.address, variables, `the server refused ${what} (${(err as Error).message.slice(0, 160)})`,
      `set ${variables.join(' and ')} (or the _FILE form${variables.length > 1 ? 's' : ''}) to credentials this namespace accepts`);
  }
  const tls = temporal.tls
    ? diagnoseTls(err, 'TEMPORAL_TLS', { mtls: temporal.tls.clientCertPair !== undefined, caSet: temporal.tls.serverRootCACertificate !== undefined })
    : undefined;
  if (tls) return new TlsHandshakeError('Temporal', temporal.address, tls.variables, tls.problem, tls.fix);
  // A TLS server answered a plain-text client: grpc reads its handshake as a broken HTTP/2 frame.
  if (!temporal.tls && /protocol error|http2|frame|connection dropped|econnreset/.test(errorText(err)) && /tls|ssl/.test(errorText(err))) {
    return new TlsHandshakeError('Temporal', temporal.address, ['TEMPORAL_TLS'], 'the server expects TLS and this client speaks plain text', 'set TEMPORAL_TLS=true (and TEMPORAL_TLS_CA if its CA is private)');
  }
  return undefined;
}
