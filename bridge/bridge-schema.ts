// Tables the bridge writes: the dead-letter audit (every classification, with the original
// coordinates), claim checks (large values stored once by coordinates), the business-key ledger and
// the records it made the bridge skip (so `kta audit` can prove the skip).
// Created at bridge start, before any run can reference them.
import { withSchemaLock } from '../lib/schema-lock';
import type { Pool } from 'pg';

const BRIDGE_SCHEMA_LOCK_ID = 7_233_9093;

export async function ensureBridgeSchema(pool: Pool): Promise<void> {
  await withSchemaLock(pool, BRIDGE_SCHEMA_LOCK_ID, async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS dead_letters (
        id            bigserial PRIMARY KEY,
        class         text NOT NULL,
        reason_code   text NOT NULL,
        reason        text NOT NULL,
        topic         text NOT NULL,
        partition     integer NOT NULL,
        "offset"      bigint NOT NULL,
        workflow_id   text,
        dlq_topic     text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (topic, partition, "offset", class, workflow_id)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS claim_checks (
        topic       text NOT NULL,
        partition   integer NOT NULL,
        "offset"    bigint NOT NULL,
        record_hash text NOT NULL,
        value       bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS business_keys (
        route        text NOT NULL,
        business_key text NOT NULL,
        workflow_id  text NOT NULL,
        first_seen   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        PRIMARY KEY (route, business_key)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS skipped_records (
        topic             text NOT NULL,
        partition         integer NOT NULL,
        "offset"          bigint NOT NULL,
        route             text NOT NULL,
        reason            text NOT NULL,
        owner_workflow_id text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset", route)
      )`);
  });
}
