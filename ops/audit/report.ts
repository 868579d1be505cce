// The audit's result: counts per topic/partition and each missing offset with its fix (its text form
// is cli/audit-format.ts).
import type { Finding, Handled, MissingOffset } from './judge';

export interface PartitionAudit {
  readonly topic: string;
  readonly partition: number;
  readonly deadLetterTopic: string;
  readonly earliest: number;
  readonly end: number;
  readonly committed: number | null;
  /** The audited offsets: `from` up to, not including, `to`. */
  readonly from: number;
  readonly to: number;
  records: number;
  runs: number;
  deadLetters: number;
  skippedByBusinessKey: number;
  entityHandled: number;
  /** Records of a throughput route with their result in throughput_results (done or dead-lettered there). */
  batchHandled: number;
  missing: number;
  readonly notes: string[];
}

export interface MissingWithFix extends MissingOffset {
  readonly fix: string;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly groupId: string;
  readonly partitions: PartitionAudit[];
  readonly missing: MissingWithFix[];
}

const COUNTER: Record<Handled, 'runs' | 'deadLetters' | 'skippedByBusinessKey' | 'entityHandled' | 'batchHandled'> = {
  run: 'runs',
  'dead-letter': 'deadLetters',
  skipped: 'skippedByBusinessKey',
  entity: 'entityHandled',
  batch: 'batchHandled',
};

/** Counts a finding; returns the missing offset with its fix, if it is one. */
export function tally(p: PartitionAudit, f: Finding, groupId: string): MissingWithFix | undefined {
  if ('handled' in f) {
    p[COUNTER[f.handled]]++;
    return undefined;
  }
  p.missing++;
  return { ...f.missing, fix: fixFor(f.missing, groupId) };
}

/**
 * The bridge commits in offset order, so moving the group back to a missing offset makes it read
 * everything from there again: the missing record is started (or dead-lettered), and every later
 * record it handled already is a verified duplicate (invariant 1), so nothing runs twice.
 */
function fixFor(m: MissingOffset, groupId: string): string {
  const reset = `reset group ${groupId} on ${m.topic}[${m.partition}] to offset ${m.offset}: stop every bridge of the group (a group with members refuses the change), ` +
    `commit offset ${m.offset} for it with any Kafka admin client (kafkajs: admin.setOffsets({ groupId: '${groupId}', topic: '${m.topic}', partitions: [{ partition: ${m.partition}, offset: '${m.offset}' }] }); ` +
    'Java: Admin.alterConsumerGroupOffsets), then start the bridge; the records after it that were handled already come back as verified duplicates';
  return m.firstStep ? `${m.firstStep}; then ${reset}` : reset;
}
