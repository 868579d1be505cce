// What a client needs to reach a local Temporal frontend that requires mutual TLS, as file paths:
// the stack file, stack.env (TEMPORAL_TLS_*_FILE) and the Temporal CLI all take files, and the keys
// never pass through argv or logs.
export interface TemporalClientTls {
  /** PEM of the CA that signed the server certificate (and the client certificates it accepts). */
  readonly caFile: string;
  /** The client certificate (PEM) the frontend asks for. */
  readonly certFile: string;
  readonly keyFile: string;
  /** The name the server certificate is checked against. */
  readonly serverName: string;
}

/** The Temporal CLI's connection flags for `address`, with TLS when the frontend wants it. */
export function temporalCliConnectionArgs(address: string, tls?: TemporalClientTls): string[] {
  return [
    '--address', address,
    ...(tls ? ['--tls-ca-path', tls.caFile, '--tls-cert-path', tls.certFile, '--tls-key-path', tls.keyFile, '--tls-server-name', tls.serverName] : []),
  ];
}

/** The environment (the shared contract's TEMPORAL_TLS_* names, as _FILE paths) that points the project's processes at it. */
export function temporalTlsEnv(tls: TemporalClientTls): Record<string, string> {
  return {
    TEMPORAL_TLS_CA_FILE: tls.caFile,
    TEMPORAL_TLS_CERT_FILE: tls.certFile,
    TEMPORAL_TLS_KEY_FILE: tls.keyFile,
    TEMPORAL_TLS_SERVER_NAME: tls.serverName,
  };
}
