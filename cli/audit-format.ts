// The text form of the audit's report: one line per partition with its notes, each missing offset with
// its fix (one reset per partition covers every later missing offset of it), and the verdict.
import { formatCoordinates } from '../core/kafka-record';
import type { AuditReport } from '../ops/audit/report';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatReport(r: AuditReport): string {
  const lines = [`kta audit, group ${r.groupId}: every record in [from, to) must have its run, dead letter, business-key skip record, entity turn or throughput result`];
  for (const p of r.partitions) {
    const range = p.to > p.from ? `offsets ${p.from}..${p.to - 1}` : 'no offsets';
    lines.push(
      `${p.missing ? 'MISSING' : 'OK     '}  ${p.topic}[${p.partition}]  ${range} (earliest ${p.earliest}, committed ${p.committed ?? 'none'}, end ${p.end}): ` +
      `${plural(p.records, 'record')}, ${plural(p.runs, 'run')} found, ${plural(p.deadLetters, 'dead letter')}, ${p.skippedByBusinessKey} skipped by business key, ` +
      `${p.entityHandled} entity-handled, ${p.batchHandled} done in throughput batches, ${p.missing} missing`,
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
