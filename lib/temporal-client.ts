// How every process reaches Temporal: one place turns the configuration into connection options (the
// bridge, the worker, the relay and every operation spread them), and a client for one command.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

/** The connection options of the configured Temporal frontend, for Connection and NativeConnection alike. */
export const temporalConnectionOptions = (temporal: Config['temporal']): { address: string } => ({ address: temporal.address });

export async function withTemporalClient<T>(config: Pick<Config, 'temporal'>, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}
