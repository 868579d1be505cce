// The output-topic sink activity: an agent's result goes to the outbox under its step's key
// (`workflowId/step`); `kta relay` publishes it to the topic exactly once. A retried attempt finds the
// row and returns it instead of queueing a second record.
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { IdempotencyKeyError } from '../errors';
import { failAtFaultPoint } from '../lib/fault';
import { assertKeyOfThisRun } from './sinks/effects';
import { enqueueOutbox, IDEMPOTENCY_KEY_HEADER } from './sinks/outbox';
import { failForGoodOnDataError } from './sinks/sink-write';

export interface PublishResultInput {
  readonly idempotencyKey: string;
  readonly topic: string;
  readonly key: string | null;
  readonly value: unknown;
}

export function createOutputActivities({ pool }: { pool: Pool }) {
  return {
    async publishResult(input: PublishResultInput): Promise<{ outboxId: string; queued: boolean }> {
      try {
        assertKeyOfThisRun(input.idempotencyKey);
      } catch (err) {
        if (err instanceof IdempotencyKeyError) throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true });
        throw err;
      }
      const queued = await failForGoodOnDataError(() => enqueueOutbox(pool, {
        idempotencyKey: input.idempotencyKey,
        topic: input.topic,
        key: input.key,
        value: JSON.stringify(input.value),
        headers: { [IDEMPOTENCY_KEY_HEADER]: input.idempotencyKey },
      }));
      // Test-only: the row is written and the attempt fails anyway, as when its completion is lost.
      failAtFaultPoint('worker:after-outbox-write');
      return { outboxId: queued.id, queued: queued.queued };
    },
  };
}

export type OutputActivities = ReturnType<typeof createOutputActivities>;
