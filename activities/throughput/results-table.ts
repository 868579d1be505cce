// The throughput mode's durable record of each record's outcome, keyed by route and coordinates
// (route = the route's idPrefix or ''). A row is written the moment the model's answer is known, before
// the effect step: a batch activity retried after a crash finds it and never asks the model again.
// status: recorded (answer durable, effect not yet applied), done (effect applied, in the same
// transaction), dead-letter (the record became a dead letter). The audit reads it as the evidence of
// a throughput route's offsets. throughput_marks holds, per partition, the highest offset of the last
// batch finished whole: a new partition run (after one was terminated) starts its dedup from it.
import type { Pool, PoolClient } from 'pg';

export const THROUGHPUT_TABLES = [
  `CREATE TABLE IF NOT EXISTS throughput_results (
     route        text NOT NULL,
     topic        text NOT NULL,
     partition    integer NOT NULL,
     "offset"     bigint NOT NULL,
     record_hash  text NOT NULL,
     status       text NOT NULL CHECK (status IN ('recorded', 'done', 'dead-letter')),
     answer       jsonb,
     model        text,
     workflow_id  text NOT NULL,
     recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
     done_at      timestamptz,
     PRIMARY KEY (route, topic, partition, "offset")
   )`,
  `CREATE TABLE IF NOT EXISTS throughput_marks (
     route      text NOT NULL,
     topic      text NOT NULL,
     partition  integer NOT NULL,
     high_water bigint NOT NULL,
     PRIMARY KEY (route, topic, partition)
   )`,
];

export interface ResultRow {
  readonly offset: string;
  readonly recordHash: string;
  readonly status: 'recorded' | 'done' | 'dead-letter';
  readonly answer: unknown;
  readonly model: string | null;
}

export interface PartitionKey {
  readonly route: string;
  readonly topic: string;
  readonly partition: number;
}

export async function loadResults(pool: Pool, at: PartitionKey, offsets: string[]): Promise<Map<string, ResultRow>> {
  const { rows } = await pool.query<{ offset: string; record_hash: string; status: ResultRow['status']; answer: unknown; model: string | null }>(
    `SELECT "offset"::text AS "offset", record_hash, status, answer, model FROM throughput_results
     WHERE route = $1 AND topic = $2 AND partition = $3 AND "offset" = ANY($4::bigint[])`,
    [at.route, at.topic, at.partition, offsets],
  );
  return new Map(rows.map((r) => [r.offset, { offset: r.offset, recordHash: r.record_hash, status: r.status, answer: r.answer, model: r.model }]));
}

/** Records the model's answer; when another attempt recorded one first, that one stands and is returned. */
export async function recordAnswer(pool: Pool, at: PartitionKey, row: { offset: string; recordHash: string; answer: unknown; model: string; workflowId: string }): Promise<ResultRow> {
  const { rows } = await pool.query<{ status: ResultRow['status']; answer: unknown; model: string | null; record_hash: string }>(
    `WITH ins AS (
       INSERT INTO throughput_results (route, topic, partition, "offset", record_hash, status, answer, model, workflow_id)
       VALUES ($1, $2, $3, $4, $5, 'recorded', $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING status, answer, model, record_hash)
     SELECT * FROM ins UNION ALL
     SELECT status, answer, model, record_hash FROM throughput_results WHERE route = $1 AND topic = $2 AND partition = $3 AND "offset" = $4 AND NOT EXISTS (SELECT 1 FROM ins)`,
    [at.route, at.topic, at.partition, row.offset, row.recordHash, JSON.stringify(row.answer), row.model, row.workflowId],
  );
  const r = rows[0];
  return { offset: row.offset, recordHash: r.record_hash, status: r.status, answer: r.answer, model: r.model };
}

/** Locks the row for the effect's transaction; true when its effect is still to be applied. */
export async function lockRecorded(db: PoolClient, at: PartitionKey, offset: string): Promise<boolean> {
  const { rows } = await db.query<{ status: string }>(
    'SELECT status FROM throughput_results WHERE route = $1 AND topic = $2 AND partition = $3 AND "offset" = $4 FOR UPDATE',
    [at.route, at.topic, at.partition, offset],
  );
  return rows[0]?.status === 'recorded';
}

export async function markDone(db: PoolClient, at: PartitionKey, offset: string): Promise<void> {
  await db.query(
    `UPDATE throughput_results SET status = 'done', done_at = clock_timestamp() WHERE route = $1 AND topic = $2 AND partition = $3 AND "offset" = $4`,
    [at.route, at.topic, at.partition, offset],
  );
}

/** After the record's dead letter was published and audited. */
export async function markDeadLettered(pool: Pool, at: PartitionKey, row: { offset: string; recordHash: string; workflowId: string }): Promise<void> {
  await pool.query(
    `INSERT INTO throughput_results (route, topic, partition, "offset", record_hash, status, workflow_id, done_at)
     VALUES ($1, $2, $3, $4, $5, 'dead-letter', $6, clock_timestamp())
     ON CONFLICT (route, topic, partition, "offset") DO UPDATE SET status = 'dead-letter', done_at = clock_timestamp()`,
    [at.route, at.topic, at.partition, row.offset, row.recordHash, row.workflowId],
  );
}

export async function loadMark(pool: Pool, at: PartitionKey): Promise<string | undefined> {
  const { rows } = await pool.query<{ high_water: string }>(
    'SELECT high_water::text AS high_water FROM throughput_marks WHERE route = $1 AND topic = $2 AND partition = $3',
    [at.route, at.topic, at.partition],
  );
  return rows[0]?.high_water;
}

export async function raiseMark(pool: Pool, at: PartitionKey, offset: string): Promise<void> {
  await pool.query(
    `INSERT INTO throughput_marks (route, topic, partition, high_water) VALUES ($1, $2, $3, $4)
     ON CONFLICT (route, topic, partition) DO UPDATE SET high_water = GREATEST(throughput_marks.high_water, EXCLUDED.high_water)`,
    [at.route, at.topic, at.partition, offset],
  );
}
