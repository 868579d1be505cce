// The audit's rules, pure: what the bridge must have left behind for a record (taken from its own
// router, so the expected workflow IDs and dead-letter outcomes are the bridge's), and whether a page's
// evidence shows it. One expectation per route on the record's topic (fan-out), or one dead letter.
import { businessKeyRouteName } from '../../bridge/business-key';
import type { KafkaRecord, RouteOutcome } from '../../bridge/route';
import { formatCoordinates } from '../../core/kafka-record';
import { batchKey, skipKey, turnKey, type Expectation, type PageEvidence } from './expectation';

export type Handled = 'run' | 'dead-letter' | 'skipped' | 'entity' | 'batch';

export interface MissingOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The run the bridge should have started; null when the record should have been a dead letter. */
  readonly workflowId: string | null;
  readonly expected: string;
  readonly notFound: string;
  /** A step needed before the group reset, when a reset alone would not help. */
  readonly firstStep?: string;
}

export type Finding = { readonly handled: Handled } | { readonly missing: MissingOffset };

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Dead-letter classes the bridge writes for a record it could not start (a run never existed for it). */
const START_DEAD_LETTER_CLASSES = new Set(['COLLISION', 'OVERSIZED']);

export function expectationsOf(record: KafkaRecord, outcome: RouteOutcome): Expectation[] {
  if (outcome.kind === 'dead-letter') return [{ kind: 'dead-letter', record, class: outcome.class, reasonCode: outcome.reasonCode }];
  return outcome.starts.map((s): Expectation => (s.partitionWorkflowId
    ? { kind: 'batch', record, workflowId: s.partitionWorkflowId, route: s.route.idPrefix ?? '', recordHash: s.input.source.recordHash }
    : s.entityId
    ? { kind: 'entity', record, workflowId: s.workflowId, entityId: s.entityId }
    : { kind: 'run', record, workflowId: s.workflowId, recordHash: s.input.source.recordHash, route: businessKeyRouteName(s.route), businessKey: s.businessKey }));
}

export function judge(e: Expectation, ev: PageEvidence, runRetentionMs: number, nowMs = Date.now()): Finding {
  const { topic, partition, offset } = e.record;
  const at = formatCoordinates({ topic, partition, offset });
  const deadLetters = ev.deadLetters.get(offset) ?? [];
  const missing = (workflowId: string | null, expected: string, notFound: string, firstStep?: string): Finding =>
    ({ missing: { topic, partition, offset, workflowId, expected, notFound, ...(firstStep ? { firstStep } : {}) } });

  if (e.kind === 'dead-letter') {
    if (deadLetters.length) return { handled: 'dead-letter' };
    return missing(null, `a dead letter of class ${e.class} (${e.reasonCode})`, `no row in dead_letters for ${at}`);
  }

  if (e.kind === 'entity') {
    // Per-key ordered routes have no run per record: the record is a signal to its entity run, which
    // keeps, per partition, a high-water mark in conversation_offsets and one conversation_turns row per
    // offset it processed. A turn row proves the record ran. A mark at or past the offset proves the
    // entity holds it as done: the entity skips every offset at or below its mark (that is how it
    // de-duplicates redeliveries), so redelivering the record could change nothing.
    const mark = ev.entityHighWater.get(e.entityId);
    if (ev.entityTurns.has(turnKey(e.entityId, offset)) || (mark !== undefined && mark >= BigInt(offset))) return { handled: 'entity' };
    return missing(e.workflowId, `a turn of entity ${e.entityId}`,
      `no conversation_turns row for offset ${offset}, and the entity's high-water mark for partition ${partition} is ${mark ?? 'absent'} (the record may still be queued in the entity run; audit again once it has drained)`);
  }

  if (e.kind === 'batch') return judgeBatch(e, ev, at, missing);

  const run = ev.runs.get(e.workflowId);
  if (run && (run.recordHash === undefined || run.recordHash === e.recordHash)) return { handled: 'run' };
  if (deadLetters.some((d) => START_DEAD_LETTER_CLASSES.has(d.class) && (d.workflowId === null || d.workflowId === e.workflowId))) return { handled: 'dead-letter' };
  const skip = ev.skipped.get(skipKey(offset, e.route));
  if (skip) {
    if (ev.runs.get(skip.ownerWorkflowId)) return { handled: 'skipped' };
    return missing(e.workflowId, `its run, or the run ${skip.ownerWorkflowId} that owns its business key`,
      `skipped for business key ${e.businessKey ?? '(unknown)'} as already run by ${skip.ownerWorkflowId}, which does not exist in Temporal`,
      `delete the ledger entry so the record may run: DELETE FROM business_keys WHERE route = ${sqlText(e.route)} AND business_key = ${sqlText(e.businessKey ?? '')}`);
  }
  const parts = [
    run ? `workflow ${e.workflowId} exists but was started by another record (hash ${run.recordHash}, this record's ${e.recordHash}) and there is no COLLISION dead letter`
      : `no workflow ${e.workflowId} in Temporal (visibility, then describe)`,
    `no COLLISION or OVERSIZED row in dead_letters for ${at}`,
    ...(e.businessKey !== undefined ? [`no business-key skip row (skipped_records) for route ${e.route}`] : []),
  ];
  const ageMs = nowMs - Number(e.record.timestamp);
  if (!run && runRetentionMs > 0 && ageMs > runRetentionMs) {
    parts.push(`the record is ${Math.round(ageMs / 3_600_000)} h old, past the namespace retention of ${Math.round(runRetentionMs / 3_600_000)} h: a closed run may have been deleted by retention, which the audit cannot tell from a run never started`);
  }
  return missing(e.workflowId, 'its run', parts.join('; '));
}

/**
 * A throughput route's record has no run of its own: its partition run took it in a batch, and the
 * batch activity wrote its outcome to throughput_results (done: the effect applied; dead-letter: its
 * dead letter published). Either row, for this record's hash, proves it; so does a dead letter of its
 * coordinates (the bridge's, for a record that never reached the run, or a COLLISION).
 */
function judgeBatch(e: Extract<Expectation, { kind: 'batch' }>, ev: PageEvidence, at: string, missing: (workflowId: string | null, expected: string, notFound: string) => Finding): Finding {
  const row = ev.batchResults.get(batchKey(e.route, e.record.offset));
  if (row && row.recordHash === e.recordHash && row.status !== 'recorded') return { handled: row.status === 'done' ? 'batch' : 'dead-letter' };
  if ((ev.deadLetters.get(e.record.offset) ?? []).length) return { handled: 'dead-letter' };
  const found = !row ? `no throughput_results row for ${at} (it may still be queued in partition run ${e.workflowId}; audit again once it has drained)`
    : row.recordHash !== e.recordHash ? `the throughput_results row for ${at} is another record's (hash ${row.recordHash}, this record's ${e.recordHash}) and there is no COLLISION dead letter`
    : `the model's answer for ${at} is recorded but its effect is not applied yet (the batch activity of ${e.workflowId} is retrying; audit again later)`;
  return missing(e.workflowId, 'its result in throughput_results', found);
}
