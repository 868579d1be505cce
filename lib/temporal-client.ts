// A Temporal client for one command or operation: connect with the configured address and namespace,
// run, close the connection whatever happens.
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';

export async function withTemporalClient<T>(config: Pick<Config, 'temporal'>, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}
