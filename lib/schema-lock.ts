// Creating tables at start-up under a PostgreSQL advisory lock, so two processes that start together
// (two workers, two bridges) never race on CREATE TABLE IF NOT EXISTS.
import type { Pool, PoolClient } from 'pg';

export async function withSchemaLock(pool: Pool, lockId: number, create: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockId]);
    await create(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
    client.release();
  }
}
