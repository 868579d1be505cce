// How every process reaches Temporal: one place turns the configuration into connection options (the
// bridge, the worker, the relay and every operation spread them), and a client for one command.
import { Client, Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config';

export type TemporalConnectionConfig = Pick<Config['temporal'], 'address' | 'tls' | 'apiKey'>;

/** The connection options (TLS, mTLS, API key included) of the configured frontend, for Connection and NativeConnection alike. */
export function temporalConnectionOptions(temporal: TemporalConnectionConfig): { address: string; tls?: TLSConfig; apiKey?: string } {
  const { tls, apiKey } = temporal;
  return {
    address: temporal.address,
    ...(tls
      ? {
          tls: {
            ...(tls.serverRootCACertificate !== undefined ? { serverRootCACertificate: Buffer.from(tls.serverRootCACertificate) } : {}),
            ...(tls.serverName !== undefined ? { serverNameOverride: tls.serverName } : {}),
            ...(tls.clientCertPair ? { clientCertPair: { crt: Buffer.from(tls.clientCertPair.crt), key: Buffer.from(tls.clientCertPair.key.reveal()) } } : {}),
          },
        }
      : {}),
    ...(apiKey ? { apiKey: apiKey.reveal() } : {}),
  };
}

export async function withTemporalClient<T>(config: Pick<Config, 'temporal'>, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}
