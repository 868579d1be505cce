// Effects by idempotency key: every side-effect activity receives `workflowId/step` and goes through
// onceByKey, so a retried attempt, a replacement worker or a reset run gets the recorded result of a
// step that already happened instead of doing it again.
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { IdempotencyKeyError } from '../../errors';
import { sinkWrite } from './sink-write';

/** The result recorded for a key, or undefined when the step has not completed yet. */
export async function recordedEffect<T>(pool: Pool, idempotencyKey: string): Promise<T | undefined> {
  const { rows } = await pool.query<{ result: T }>('SELECT result FROM effects WHERE idempotency_key = $1', [idempotencyKey]);
  return rows[0]?.result;
}

/**
 * Runs `fn` once per key and records its result; "already done" returns the recorded result.
 *
 * Between `fn` finishing and its result being recorded a worker can die, so `fn` must itself be
 * idempotent by the same key: an API that honours an Idempotency-Key header, or a write keyed by it
 * (insert-if-absent, upsert). onceByKey spares the second call; the key makes the second call harmless.
 * When two attempts race, the first recorded result wins and both return it. A result PostgreSQL
 * cannot store (a NUL character in it) fails with SinkDataError (sink-write.ts).
 */
export async function onceByKey<T>(pool: Pool, idempotencyKey: string, fn: () => Promise<T>): Promise<T> {
  assertKeyOfThisRun(idempotencyKey);
  const done = await recordedEffect<T>(pool, idempotencyKey);
  if (done !== undefined) return done;
  const result = await fn();
  const { rows } = await sinkWrite('effects', `idempotency key ${idempotencyKey}`, { result }, () => pool.query<{ result: T }>(
    `INSERT INTO effects (idempotency_key, result) VALUES ($1, $2)
     ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = effects.idempotency_key
     RETURNING result`,
    [idempotencyKey, JSON.stringify(result ?? null)],
  ));
  return rows[0].result;
}

/**
 * Inside an activity, the key must start with the calling run's workflow ID: a key copied from
 * another run would hand this run that run's result.
 */
export function assertKeyOfThisRun(idempotencyKey: string): void {
  let workflowId: string | undefined;
  try {
    workflowId = Context.current().info.workflowExecution?.workflowId;
  } catch {
    return; // not inside an activity (a script or a test calling the sink directly)
  }
  if (workflowId && !idempotencyKey.startsWith(`${workflowId}/`)) throw new IdempotencyKeyError(idempotencyKey, workflowId);
}
