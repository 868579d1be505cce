// Recognises, in a client library's error, a TLS failure that only the configuration can fix, and
// names the variables to fix. The libraries report these as text (Node's TLS, grpc-js, rustls in the
// worker's native connection), so the matching is on the phrases OpenSSL and rustls use.

export type TlsVariablePrefix = 'TEMPORAL_TLS' | 'KAFKA_SSL';

export interface TlsDiagnosis {
  readonly variables: string[];
  readonly problem: string;
  readonly fix: string;
}

/** Every message along the `cause` chain (and an AggregateError's errors), lower-cased, for matching. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (e: unknown) => {
    if (!e || seen.has(e)) return;
    seen.add(e);
    if (e instanceof Error) {
      parts.push(e.message, (e as { details?: string }).details ?? '', (e as { code?: string | number }).code?.toString() ?? '');
      walk((e as { cause?: unknown }).cause);
      if (e instanceof AggregateError) e.errors.forEach(walk);
    } else parts.push(String(e));
  };
  walk(err);
  return parts.join(' | ').toLowerCase();
}

const SERVER_NOT_TRUSTED = ['unable to verify the first certificate', 'self-signed certificate', 'self signed certificate', 'unable to get local issuer certificate',
  'unknownissuer', 'unable_to_verify_leaf_signature', 'self_signed_cert_in_chain', 'depth_zero_self_signed_cert', 'unable_to_get_issuer_cert'];
const NAME_MISMATCH = ["does not match certificate's altnames", 'err_tls_cert_altname_invalid', 'notvalidforname', 'certificate is not valid for'];
const CLIENT_REFUSED = ['alert certificate required', 'alert bad certificate', 'alert unknown ca', 'certificaterequired', 'badcertificate', 'unknownca',
  'alert number 116', 'alert number 42', 'alert number 48', 'peer did not return a certificate', 'certificate_required'];
const PLAIN_SERVER = ['wrong version number', 'packet length too long', 'invalidcontenttype', 'corrupt message', 'record overflow'];

/** What to fix, when `err` is a TLS failure; undefined for anything else (a refused or unreachable port). */
export function diagnoseTls(err: unknown, prefix: TlsVariablePrefix, opts: { mtls: boolean; caSet: boolean }): TlsDiagnosis | undefined {
  const text = errorText(err);
  const has = (phrases: string[]) => phrases.some((p) => text.includes(p));
  const ca = `${prefix}_CA`;
  const serverName = prefix === 'TEMPORAL_TLS' ? 'TEMPORAL_TLS_SERVER_NAME' : 'KAFKA_SSL_SERVER_NAME';
  if (has(NAME_MISMATCH)) {
    return { variables: [serverName], problem: 'the server certificate is not issued for the name this client checks', fix: `set ${serverName} to a name in the server certificate (its subject alternative names)` };
  }
  if (has(SERVER_NOT_TRUSTED) || text.includes('certificate verify failed') || text.includes('invalid peer certificate')) {
    return {
      variables: [ca],
      problem: `the server's certificate is not signed by a trusted CA${opts.caSet ? ` (not by the CA in ${ca})` : ''}`,
      fix: opts.caSet ? `set ${ca} (or ${ca}_FILE) to the PEM of the CA that signed the server's certificate` : `set ${ca} (or ${ca}_FILE) to the PEM of the server's CA; without it only the system's public roots are trusted`,
    };
  }
  if (has(CLIENT_REFUSED)) {
    const [cert, key] = [`${prefix}_CERT`, `${prefix}_KEY`];
    return {
      variables: [cert, key],
      problem: opts.mtls ? 'the server refused the client certificate (not signed by a CA it trusts, or expired)' : 'the server requires a client certificate (mTLS) and none is configured',
      fix: `set ${cert} and ${key} (or their _FILE forms) to a client certificate signed by a CA the server trusts, and its key`,
    };
  }
  if (has(PLAIN_SERVER)) {
    const off = prefix === 'TEMPORAL_TLS' ? 'TEMPORAL_TLS=false' : 'KAFKA_SECURITY_PROTOCOL=PLAINTEXT (or SASL_PLAINTEXT)';
    return { variables: [prefix === 'TEMPORAL_TLS' ? 'TEMPORAL_TLS' : 'KAFKA_SECURITY_PROTOCOL'], problem: 'the server does not speak TLS on this port', fix: `connect to its TLS port, or set ${off}` };
  }
  return undefined;
}
