// The audit's result: counts per topic/partition, one line per missing offset with its fix, as text
// or as one JSON object.
import type { Finding, Handled, MissingOffset } from './audit-judge';
import { formatCoordinates } from '../core/kafka-record';

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

const COUNTER: Record<Handled, 'runs' | 'deadLetters' | 'skippedByBusinessKey' | 'entityHandled'> = {
  run: 'runs',
  'dead-letter': 'deadLetters',
  skipped: 'skippedByBusinessKey',
  entity: 'entityHandled',
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatReport(r: AuditReport): string {
  const lines = [`kta audit, group ${r.groupId}: every record in [from, to) must have its run, dead letter, business-key skip record or entity turn`];
  for (const p of r.partitions) {
    const range = p.to > p.from ? `offsets ${p.from}..${p.to - 1}` : 'no offsets';
    lines.push(
      `${p.missing ? 'MISSING' : 'OK     '}  ${p.topic}[${p.partition}]  ${range} (earliest ${p.earliest}, committed ${p.committed ?? 'none'}, end ${p.end}): ` +
      `${plural(p.records, 'record')}, ${plural(p.runs, 'run')} found, ${plural(p.deadLetters, 'dead letter')}, ${p.skippedByBusinessKey} skipped by business key, ` +
      `${p.entityHandled} entity-handled, ${p.missing} missing`,
    );
    for (const note of p.notes) lines.push(`         note: ${note}`);
    if (p.deadLetters) lines.push(`         dead letters are re-driven by \`kta reprocess --topic ${p.deadLetterTopic}\` once their cause is fixed`);
  }
  // Missing offsets come in offset order per partition, and one reset to the first covers the rest.
  const resetTo = new Map<string, string>();
  for (const m of r.missing) {
    lines.push(`missing ${formatCoordinates(m)}: expected ${m.expected}${m.workflowId ? `, workflow ID ${m.workflowId}` : ''}; ${m.notFound}`);
    const first = resetTo.get(`${m.topic}[${m.partition}]`);
    if (first === undefined) resetTo.set(`${m.topic}[${m.partition}]`, m.offset);
    lines.push(first === undefined ? `  fix: ${m.fix}` : `  fix: ${m.firstStep ? `${m.firstStep}; the ` : 'the '}reset of ${m.topic}[${m.partition}] to offset ${first} above covers it`);
  }
  const total = r.missing.length;
  lines.push(total ? `${plural(total, 'offset')} missing: invariant 2 does not hold for the audited ranges` : 'Nothing missing: invariant 2 holds for the audited ranges');
  return lines.join('\n');
}
