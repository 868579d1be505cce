// Everything the bridge does for one record, each step acknowledged before the offset may be
// committed: store a claim check, check the business-key ledger, start the workflow (or verify the
// duplicate), or publish the dead letter. Systemic failures (Temporal, Kafka or PostgreSQL down) are
// retried with backoff until acknowledged or the batch is abandoned; they are never dead-lettered.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { formatCoordinates } from '../core/kafka-record';
import { RecordCollisionError } from '../errors';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import { claimBusinessKey, recordBusinessKeySkip } from './business-key';
import { storeClaimCheck } from './claim-check';
import type { DeadLetter } from './dead-letter';
import type { BridgeMetrics } from './metrics';
import type { KafkaRecord, RouteOutcome } from './route';
import { startPlanned } from './starter';

export interface RecordTaskDeps {
  readonly client: Client;
  readonly pool: Pool;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  publishDeadLetter(topic: string, dl: DeadLetter): Promise<void>;
}

async function untilAcknowledged<T>(what: string, record: KafkaRecord, deps: RecordTaskDeps, signal: AbortSignal, step: () => Promise<T>): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (err instanceof RecordCollisionError) throw err;
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

/** Resolves true once the record is fully acknowledged, false when abandoned (rebalance, shutdown). */
export async function processRecord(record: KafkaRecord, outcome: RouteOutcome, deps: RecordTaskDeps, signal: AbortSignal): Promise<boolean> {
  const { metrics, log } = deps;
  const deadLetter = async (topic: string, dl: DeadLetter) => {
    const done = await untilAcknowledged('dead-lettering', record, deps, signal, async () => {
      await deps.publishDeadLetter(topic, dl);
      return true;
    });
    if (done) metrics.deadLetters.inc({ class: dl.class });
    return done === true;
  };

  if (outcome.kind === 'dead-letter') {
    metrics.invalidRecords.inc({ topic: record.topic });
    log.warn({ topic: record.topic, partition: record.partition, offset: record.offset, class: outcome.class, reasonCode: outcome.reasonCode }, `dead-lettering ${formatCoordinates(record)}: ${outcome.reason}`);
    return deadLetter(outcome.deadLetterTopic, { class: outcome.class, reasonCode: outcome.reasonCode, reason: outcome.reason, original: record });
  }

  if (outcome.claimCheck) {
    const stored = await untilAcknowledged('claim check', record, deps, signal, () => storeClaimCheck(deps.pool, record, outcome.claimCheck!));
    if (stored === undefined) return false;
    metrics.claimChecks.inc();
  }
  for (const start of outcome.starts) {
    if (start.businessKey !== undefined) {
      const first = await untilAcknowledged('business-key check', record, deps, signal, () => claimBusinessKey(deps.pool, start));
      if (first === undefined) return false;
      if (first !== start.workflowId) {
        const noted = await untilAcknowledged('business-key skip record', record, deps, signal, () => recordBusinessKeySkip(deps.pool, record, start, first));
        if (noted === undefined) return false;
        metrics.businessDuplicates.inc({ workflow_type: start.route.workflowType });
        log.info({ topic: record.topic, partition: record.partition, offset: record.offset, workflowId: start.workflowId, businessKey: start.businessKey, firstWorkflowId: first }, 'same business key already ran; not starting again');
        continue;
      }
    }
    const startedAtMs = performance.now();
    let outcomeOfStart;
    try {
      outcomeOfStart = await untilAcknowledged('start', record, deps, signal, () => startPlanned(deps.client, start));
    } catch (err) {
      if (!(err instanceof RecordCollisionError)) throw err;
      metrics.collisions.inc();
      // Loud: a different record wears coordinates that already ran. Never a silent skip.
      log.error({ topic: record.topic, partition: record.partition, offset: record.offset, workflowId: start.workflowId, recordHash: err.recordHash, existingHash: err.existingHash }, err.message);
      const dlTopic = outcome.deadLetterTopic;
      const ok = await deadLetter(dlTopic, {
        class: 'COLLISION',
        reasonCode: 'HASH_MISMATCH',
        reason: err.message,
        original: record,
        workflowId: start.workflowId,
        existing: { workflowId: start.workflowId, recordHash: err.existingHash },
      });
      if (!ok) return false;
      continue;
    }
    if (outcomeOfStart === undefined) return false;
    metrics.startLatency.observe((performance.now() - startedAtMs) / 1000);
    if (outcomeOfStart === 'started') metrics.starts.inc({ workflow_type: start.route.workflowType });
    else metrics.duplicates.inc({ workflow_type: start.route.workflowType });
  }
  return true;
}
