// Recognises, in a failed Temporal connection, what only the configuration can fix: a TLS handshake
// (the CA, the server name, the client certificate), refused credentials (the API key, or a client
// certificate the namespace does not accept), or TLS on one side only. The bridge and the worker stop
// on these instead of retrying; an unreachable frontend is still waited for.
import { TlsHandshakeError } from '../errors';
import type { TemporalConnectionConfig } from './temporal-client';
import { diagnoseTls, errorText } from './tls-failure';
import { probeTls } from './tls-probe';

const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

/** From the error alone: what the worker's native client (rustls) and refused credentials say. */
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
  return tls && new TlsHandshakeError('Temporal', temporal.address, tls.variables, tls.problem, tls.fix);
}

/**
 * From the error, else from one TLS handshake with the frontend (the client library's error says only
 * that the deadline passed): undefined when nothing about security explains the failure.
 */
export async function diagnoseTemporalFailure(err: unknown, temporal: TemporalConnectionConfig): Promise<TlsHandshakeError | undefined> {
  const fromError = temporalSecurityFailure(err, temporal);
  if (fromError) return fromError;
  const { tls } = temporal;
  if (!tls) {
    // Plain text against a TLS frontend: a handshake the server completes says it wants TLS.
    const probed = await probeTls(temporal.address, { verify: false });
    return probed.outcome === 'accepted'
      ? new TlsHandshakeError('Temporal', temporal.address, ['TEMPORAL_TLS'], 'the server speaks TLS and this client plain text',
        'set TEMPORAL_TLS_CA (or TEMPORAL_TLS=true for a publicly trusted server), and TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY if it asks for a client certificate')
      : undefined;
  }
  return checkTemporalTls(temporal);
}

/**
 * One handshake with the configured certificates before connecting: a refused certificate or a CA
 * that does not match shows at once, named, instead of as the client's connect deadline passing.
 */
export async function checkTemporalTls(temporal: TemporalConnectionConfig): Promise<TlsHandshakeError | undefined> {
  const { tls } = temporal;
  if (!tls) return undefined;
  const probed = await probeTls(temporal.address, {
    ca: tls.serverRootCACertificate, serverName: tls.serverName,
    cert: tls.clientCertPair?.crt, key: tls.clientCertPair?.key.reveal(),
  });
  return probed.outcome === 'failed' ? temporalSecurityFailure(probed.error, temporal) : undefined;
}
