// The output topic's outbox: an agent's result is a row keyed by `workflowId/step`, written
// insert-if-absent, so a retried or replayed step never queues a second record. The relay
// (outbox-relay.ts) publishes unsent rows in id order and marks what the broker acknowledged.
import type { Pool } from 'pg';
import { sinkWrite } from './sink-write';

/** Every published record carries its step's key in this header; the relay recovers from it. */
export const IDEMPOTENCY_KEY_HEADER = 'kta-idempotency-key';

export interface OutboxRecord {
  readonly idempotencyKey: string;
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

export interface OutboxRow extends OutboxRecord {
  readonly id: string;
  readonly sentAt: Date | null;
}

/**
 * Inserts the record unless its key is already queued; `queued` is false for the second writer. A value
 * PostgreSQL cannot store (a NUL in the message key, say) fails with SinkDataError (sink-write.ts).
 */
export async function enqueueOutbox(pool: Pool, rec: OutboxRecord): Promise<{ id: string; queued: boolean }> {
  const fields = { idempotency_key: rec.idempotencyKey, topic: rec.topic, message_key: rec.key, value: rec.value, headers: rec.headers ?? {} };
  const inserted = await sinkWrite('outbox', `idempotency key ${rec.idempotencyKey}`, fields, () => pool.query<{ id: string }>(
    `INSERT INTO outbox (idempotency_key, topic, message_key, value, headers) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [rec.idempotencyKey, rec.topic, rec.key, rec.value, rec.headers ?? {}],
  ));
  if (inserted.rows[0]) return { id: inserted.rows[0].id, queued: true };
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM outbox WHERE idempotency_key = $1', [rec.idempotencyKey]);
  return { id: rows[0].id, queued: false };
}

const toRow = (r: { id: string; idempotency_key: string; topic: string; message_key: string | null; value: string; headers: Record<string, string>; sent_at: Date | null }): OutboxRow => ({
  id: r.id, idempotencyKey: r.idempotency_key, topic: r.topic, key: r.message_key, value: r.value, headers: r.headers, sentAt: r.sent_at,
});

/** Unsent rows in id order, only for `topics` when given. */
export async function unsentOutbox(pool: Pool, opts: { topics?: readonly string[]; limit: number }): Promise<OutboxRow[]> {
  const { rows } = await pool.query(
    `SELECT id, idempotency_key, topic, message_key, value, headers, sent_at FROM outbox
     WHERE sent_at IS NULL AND ($1::text[] IS NULL OR topic = ANY($1)) ORDER BY id LIMIT $2`,
    [opts.topics ?? null, opts.limit],
  );
  return rows.map(toRow);
}

export async function unsentTopics(pool: Pool, topics?: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ topic: string }>(
    'SELECT DISTINCT topic FROM outbox WHERE sent_at IS NULL AND ($1::text[] IS NULL OR topic = ANY($1))',
    [topics ?? null],
  );
  return rows.map((r) => r.topic);
}

export async function markOutboxSent(pool: Pool, idempotencyKeys: readonly string[]): Promise<number> {
  if (idempotencyKeys.length === 0) return 0;
  const { rowCount } = await pool.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND idempotency_key = ANY($1)', [idempotencyKeys]);
  return rowCount ?? 0;
}

export async function outboxRows(pool: Pool, where: { topic: string }): Promise<OutboxRow[]> {
  const { rows } = await pool.query(
    'SELECT id, idempotency_key, topic, message_key, value, headers, sent_at FROM outbox WHERE topic = $1 ORDER BY id',
    [where.topic],
  );
  return rows.map(toRow);
}
