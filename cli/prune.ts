// `kta prune`: runs the pruning (ops/prune.ts) and prints what went (or, with --dry-run, would go),
// table by table, or one JSON object { dryRun, horizon, results }.
import { loadConfig } from '../config';
import { runPrune, type PruneHorizon, type PruneResult } from '../ops/prune';

const days = (ms: number) => `${(ms / 86_400_000).toFixed(1)} d`;

export function formatPrune(horizon: PruneHorizon, results: PruneResult[], dryRun: boolean): string {
  const h = horizon.recordHorizonMs;
  const topics = horizon.topics.map((t) => `${t.topic} ${t.retentionMs === 'infinite' ? 'forever' : days(t.retentionMs)}`).join(', ') || 'no route topic exists';
  const head = `H = ${h === 'infinite' ? 'infinite' : days(h)}: the longest of namespace retention ${days(horizon.namespaceRetentionMs)} and topic retention (${topics}), plus 1 d`;
  const verb = dryRun ? 'would delete' : 'deleted';
  const width = Math.max(...results.map((r) => r.table.length));
  return [head, ...results.map((r) => `${r.table.padEnd(width)}  ${r.kept ? `kept (${r.kept})` : `${verb} ${r.rows}`}  — ${r.rule}`)].join('\n');
}

export async function pruneCommand(opts: { dryRun?: boolean; usageDays: number; json?: boolean }): Promise<void> {
  if (!Number.isFinite(opts.usageDays) || opts.usageDays <= 0) throw new Error(`--usage-days ${opts.usageDays}: give a number of days above 0`);
  const report = await runPrune(loadConfig(), { dryRun: Boolean(opts.dryRun), usageDays: opts.usageDays });
  process.stdout.write(`${opts.json ? JSON.stringify(report) : formatPrune(report.horizon, report.results, report.dryRun)}\n`);
}
