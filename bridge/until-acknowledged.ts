// Retries one step of one record until it is acknowledged, the batch is abandoned, or the failure
// turns out to be the record's own. Systemic failures (Temporal, Kafka or PostgreSQL down) are
// retried with backoff and never dead-lettered; a record's fault is thrown as RecordFaultError at
// once, because retrying it would stall the partition for good.
import { formatCoordinates } from '../core/kafka-record';
import { RecordCollisionError, RecordFaultError } from '../errors';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import type { BridgeMetrics } from './metrics';
import { recordFaultOf } from './record-fault';
import type { KafkaRecord } from './route';

export interface RetryDeps {
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export interface RetryOptions {
  /**
   * False for a step that carries nothing of the record (a dead letter by coordinates alone): its
   * failures can only be systemic, so they are retried whatever they look like.
   */
  readonly recordFaults?: boolean;
}

/** The step's result, or undefined when the batch was abandoned (rebalance, shutdown). */
export async function untilAcknowledged<T>(
  what: string,
  record: KafkaRecord,
  deps: RetryDeps,
  signal: AbortSignal,
  step: () => Promise<T>,
  { recordFaults = true }: RetryOptions = {},
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (err instanceof RecordCollisionError) throw err;
      const fault = recordFaults ? recordFaultOf(err) : undefined;
      if (fault) throw new RecordFaultError(record, what, fault, { cause: err });
      if (signal.aborted) return undefined;
      deps.metrics.startErrors.inc();
      const delayMs = backoffDelayMs(attempt, deps.retryInitialMs, deps.retryMaxMs);
      deps.log.warn(
        { topic: record.topic, partition: record.partition, offset: record.offset, attempt, retryInMs: delayMs, err: (err as Error).message },
        `${what} of ${formatCoordinates(record)} failed; retrying, nothing past it is committed`,
      );
      await sleep(delayMs, signal);
      if (signal.aborted) return undefined;
    }
  }
}
