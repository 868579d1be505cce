// The Temporal SDK's TLS options from the stack's certificate files, for a test's own Connection or
// NativeConnection (the bridge and the worker read the same files through config.ts).
import { readFileSync } from 'node:fs';
import type { TemporalClientTls } from '../../dev/stack/temporal-tls';

export interface SdkTlsOptions {
  serverRootCACertificate: Buffer;
  serverNameOverride: string;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** Trust the stack's CA; present the given client certificate, or none when `cert` is null. */
export function sdkTlsOptions(tls: TemporalClientTls, cert: { certFile: string; keyFile: string } | null = tls): SdkTlsOptions {
  return {
    serverRootCACertificate: readFileSync(tls.caFile),
    serverNameOverride: tls.serverName,
    ...(cert ? { clientCertPair: { crt: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) } } : {}),
  };
}
