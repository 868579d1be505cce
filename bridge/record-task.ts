// Everything the bridge does for one record, each step acknowledged before the offset may be
// committed: store a claim check, check the business-key ledger, start the workflow (or verify the
// duplicate), or publish the dead letter. Systemic failures (Temporal, Kafka or PostgreSQL down) are
// retried with backoff until acknowledged or the batch is abandoned; they are never dead-lettered.
// A failure caused by the record's own bytes (PostgreSQL refusing its business key, say) is never
// retried: the record is dead-lettered with reason code REFUSED.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { formatCoordinates } from '../core/kafka-record';
import { RecordCollisionError, RecordFaultError } from '../errors';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import { claimBusinessKey, recordBusinessKeySkip } from './business-key';
import { storeClaimCheck } from './claim-check';
import { deadLetterRecord, type DeadLetterDeps } from './dead-letter-task';
import type { KafkaRecord, PlannedStart, RouteOutcome } from './route';
import { startPlanned, type StartOutcome } from './starter';
import { untilAcknowledged } from './until-acknowledged';

export interface RecordTaskDeps extends DeadLetterDeps {
  readonly client: Client;
  readonly pool: Pool;
}

const fields = (r: KafkaRecord) => ({ topic: r.topic, partition: r.partition, offset: r.offset });

/** Resolves true once the record is fully acknowledged, false when abandoned (rebalance, shutdown). */
export async function processRecord(record: KafkaRecord, outcome: RouteOutcome, deps: RecordTaskDeps, signal: AbortSignal): Promise<boolean> {
  const { metrics, log } = deps;

  if (outcome.kind === 'dead-letter') {
    metrics.invalidRecords.inc({ topic: record.topic });
    log.warn({ ...fields(record), class: outcome.class, reasonCode: outcome.reasonCode }, `dead-lettering ${formatCoordinates(record)}: ${outcome.reason}`);
    return deadLetterRecord(record, outcome.deadLetterTopic, { class: outcome.class, reasonCode: outcome.reasonCode, reason: outcome.reason, original: record }, deps, signal);
  }
  try {
    return await startRecord(record, outcome, deps, signal);
  } catch (err) {
    if (!(err instanceof RecordFaultError)) throw err;
    metrics.invalidRecords.inc({ topic: record.topic });
    log.warn({ ...fields(record), step: err.step }, err.message);
    return deadLetterRecord(record, outcome.deadLetterTopic, { class: 'INVALID_INPUT', reasonCode: 'REFUSED', reason: `the ${err.step} refused the record: ${err.fault}`, original: record }, deps, signal);
  }
}

async function startRecord(record: KafkaRecord, outcome: Extract<RouteOutcome, { kind: 'start' }>, deps: RecordTaskDeps, signal: AbortSignal): Promise<boolean> {
  const { metrics, log } = deps;
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
        log.info({ ...fields(record), workflowId: start.workflowId, businessKey: start.businessKey, firstWorkflowId: first }, 'same business key already ran; not starting again');
        continue;
      }
    }
    const startedAtMs = performance.now();
    let outcomeOfStart: StartOutcome | undefined;
    try {
      outcomeOfStart = await untilAcknowledged('start', record, deps, signal, () => startPlanned(deps.client, start));
    } catch (err) {
      if (!(err instanceof RecordCollisionError)) throw err;
      if (!(await deadLetterCollision(record, outcome.deadLetterTopic, start, err, deps, signal))) return false;
      continue;
    }
    if (outcomeOfStart === undefined) return false;
    metrics.startLatency.observe((performance.now() - startedAtMs) / 1000);
    if (outcomeOfStart === 'started') metrics.starts.inc({ workflow_type: start.route.workflowType });
    else metrics.duplicates.inc({ workflow_type: start.route.workflowType });
  }
  return true;
}

function deadLetterCollision(record: KafkaRecord, topic: string, start: PlannedStart, err: RecordCollisionError, deps: RecordTaskDeps, signal: AbortSignal): Promise<boolean> {
  deps.metrics.collisions.inc();
  // Loud: a different record wears coordinates that already ran. Never a silent skip.
  deps.log.error({ ...fields(record), workflowId: start.workflowId, recordHash: err.recordHash, existingHash: err.existingHash }, err.message);
  return deadLetterRecord(record, topic, {
    class: 'COLLISION',
    reasonCode: 'HASH_MISMATCH',
    reason: err.message,
    original: record,
    workflowId: start.workflowId,
    existing: { workflowId: start.workflowId, recordHash: err.existingHash },
  }, deps, signal);
}
