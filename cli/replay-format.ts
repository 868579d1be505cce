// The text form of the replay's report: one line per history as it is replayed, then the summary with
// what to do about a failed history.
import type { ReplayOutcome, ReplayReport } from '../ops/replay/report';

export function formatOutcome(o: ReplayOutcome): string {
  const head = `${o.ok ? 'OK  ' : 'FAIL'}  ${o.workflowId}  ${o.workflowType ?? '(unknown type)'}`;
  return o.error ? `${head}  ${o.error.name}: ${o.error.detail}` : head;
}

export function formatSummary(r: ReplayReport): string {
  const lines = [`replayed ${r.summary.replayed}, ok ${r.summary.ok}, failed ${r.summary.failed}`];
  if (r.query?.limitReached) lines.push(`note: the query lists more runs than --limit ${r.query.limit}; raise --limit to replay the rest`);
  if (r.summary.replayed === 0) lines.push(`note: nothing was replayed${r.query ? ` (no run matches ${r.query.text})` : ''}, so nothing was checked`);
  if (r.summary.failed > 0) {
    lines.push('a failed history is a run this code cannot continue: keep the old behaviour for those runs behind patched() (or deploy after they close) instead of changing it in place');
  }
  return lines.join('\n');
}
