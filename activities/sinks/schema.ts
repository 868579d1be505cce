// Tables the sinks write to. Created at worker start; an advisory lock keeps two workers that start
// together from racing on CREATE TABLE.
import type { Pool } from 'pg';

const SCHEMA_LOCK_ID = 7_233_9092;

export async function ensureSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_ID]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS review_tags (
        review_id        text PRIMARY KEY,
        tags             jsonb NOT NULL,
        sentiment        text NOT NULL,
        model            text NOT NULL,
        workflow_id      text NOT NULL,
        idempotency_key  text NOT NULL,
        source_topic     text NOT NULL,
        source_partition integer NOT NULL,
        source_offset    bigint NOT NULL,
        writes           integer NOT NULL DEFAULT 1,
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
