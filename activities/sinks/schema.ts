// Tables the sinks write to. Created at worker start; an advisory lock keeps two workers that start
// together from racing on CREATE TABLE.
import { withSchemaLock } from '../../lib/schema-lock';
import type { Pool } from 'pg';
import { LLM_CALLS_DDL, LLM_CALLS_INDEXES } from '../llm/usage-ledger';

const SCHEMA_LOCK_ID = 7_233_9092;

/** The shared tables, then `agentTables` (each agent's own, from the registry: workers/agent-tables.ts). */
export async function ensureSchema(pool: Pool, agentTables: readonly string[] = []): Promise<void> {
  await withSchemaLock(pool, SCHEMA_LOCK_ID, async (client) => {
    for (const ddl of agentTables) await client.query(ddl);
    // The LLM limiter's shared ledger (activities/llm/limiter): one row per reserved call.
    await client.query(`
      CREATE TABLE IF NOT EXISTS llm_usage (
        id          bigserial PRIMARY KEY,
        limiter_key text NOT NULL,
        at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        tokens      integer NOT NULL,
        settled_at  timestamptz
      )`);
    await client.query('ALTER TABLE llm_usage ADD COLUMN IF NOT EXISTS settled_at timestamptz');
    await client.query('CREATE INDEX IF NOT EXISTS llm_usage_key_at ON llm_usage (limiter_key, at)');
    await client.query(`
      CREATE TABLE IF NOT EXISTS llm_pause (
        limiter_key text PRIMARY KEY,
        until       timestamptz NOT NULL
      )`);
    // Lineage and cost of every model call (activities/llm/usage-ledger.ts).
    await client.query(LLM_CALLS_DDL);
    for (const ddl of LLM_CALLS_INDEXES) await client.query(ddl);
    // Calls the limiter turned away are waiting until about `until` (read by the bridge's backpressure).
    await client.query(`
      CREATE TABLE IF NOT EXISTS llm_waiting (
        limiter_key text PRIMARY KEY,
        until       timestamptz NOT NULL
      )`);
    // Effects by idempotency key (activities/sinks/effects.ts): the recorded result of each done step.
    await client.query(`
      CREATE TABLE IF NOT EXISTS effects (
        idempotency_key text PRIMARY KEY,
        result          jsonb NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now()
      )`);
    // The output topic's outbox (activities/sinks/outbox.ts): one row per workflowId/step, published
    // in id order by the relay, which sets sent_at once the broker acknowledged it.
    await client.query(`
      CREATE TABLE IF NOT EXISTS outbox (
        id              bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        topic           text NOT NULL,
        message_key     text,
        value           text NOT NULL,
        headers         jsonb NOT NULL DEFAULT '{}',
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz
      )`);
    await client.query('CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (id) WHERE sent_at IS NULL');
  });
}
