// `kta usage`: prints the usage report (ops/usage.ts) as a table with a total, or one JSON object
// { by, since, rows }.
import { loadConfig } from '../config';
import { USAGE_GROUPINGS, runUsage, sinceInterval, type UsageGrouping, type UsageQuery, type UsageRow } from '../ops/usage';

export function formatUsage(q: UsageQuery, rows: UsageRow[]): string {
  if (rows.length === 0) return `no model calls in the last ${q.since}${q.workflowId ? ` for ${q.workflowId}` : ''}${q.topic ? ` on ${q.topic}` : ''}`;
  const table = [
    [q.by, 'calls', 'ok', 'invalid', 'failed', 'prompt tok', 'completion tok', 'cost USD', 'avg ms'],
    ...rows.map((r) => [r.key, r.calls, r.ok, r.invalid, r.failed, r.promptTokens, r.completionTokens, r.costUsd.toFixed(6), r.avgLatencyMs].map(String)),
  ];
  const total = rows.reduce((t, r) => ({ calls: t.calls + r.calls, tokens: t.tokens + r.promptTokens + r.completionTokens, cost: t.cost + r.costUsd }), { calls: 0, tokens: 0, cost: 0 });
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  return [...lines, `total: ${total.calls} calls, ${total.tokens} tokens, ${total.cost.toFixed(6)} USD in the last ${q.since}${rows.length === q.limit ? ` (first ${q.limit} rows; raise --limit)` : ''}`].join('\n');
}

export async function usageCommand(opts: { by: string; since: string; workflowId?: string; topic?: string; limit: number; json?: boolean }): Promise<void> {
  if (!(USAGE_GROUPINGS as readonly string[]).includes(opts.by)) throw new Error(`--by ${opts.by}: give one of ${USAGE_GROUPINGS.join(', ')}`);
  const config = loadConfig();
  const q: UsageQuery = { by: opts.by as UsageGrouping, since: sinceInterval(opts.since), workflowId: opts.workflowId, topic: opts.topic, limit: opts.limit };
  const report = await runUsage(config, q);
  process.stdout.write(`${opts.json ? JSON.stringify(report) : formatUsage(q, report.rows)}\n`);
}
