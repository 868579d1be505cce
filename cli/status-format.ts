// The text form of `kta status`: a compact block per route, then the model limiter and the bridges.
// Pure: a report in, lines out, so tests and other tools can format a report without any service.
import { RESUME_AT_FRACTION } from '../core/pause-verdict';
import type { TopicLag } from '../ops/group-lag';
import type { BridgeStats, DeadLetterCounts, LimiterStatus, PauseVerdict, Reading, RouteStatus, RunCounts, StatusReport } from '../ops/status/report';

const LABEL_WIDTH = 14;
const line = (label: string, text: string) => `  ${label.padEnd(LABEL_WIDTH)}${text}`;
const reading = <T>(r: Reading<T>, show: (value: T) => string) => (r.ok ? show(r.value) : `unavailable: ${r.error}`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const byKey = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

function formatLag(lag: TopicLag): string {
  const partitions = lag.partitions.map((p) => `p${p.partition} ${p.committed ?? 'none'}/${p.end}${p.lag ? ` (${p.lag})` : ''}`).join(', ');
  const note = lag.committedPartitions === 0 ? '; the group has committed nothing yet' : '';
  return `${lag.lag} (committed/end: ${partitions})${note}`;
}

function formatRuns(runs: RunCounts, bound: number | null): string {
  const open = bound === null ? `open ${runs.open}` : `open ${runs.open}/${bound} (maxOpenRuns)`;
  return `${open}, ${runs.total} in visibility; AgentStatus ${byKey(runs.byAgentStatus)}`;
}

function formatDeadLetters(d: DeadLetterCounts): string {
  if (!d.tableExists) return 'none (no dead_letters table yet: no bridge has started against this database)';
  if (d.total === 0) return 'none';
  return `${d.total}, ${d.lastHour} in the last hour: ${d.byClass.map((c) => `${c.class} ${c.total} (${c.lastHour})`).join(', ')}`;
}

function openRunsVerdict(r: RouteStatus): string {
  const bound = r.maxOpenRuns;
  if (bound === null || !r.runs.ok) return r.wouldPause.openRuns === 'off' ? 'no bound (maxOpenRuns)' : 'unknown: open runs unreadable';
  const { open } = r.runs.value;
  const resumeAt = Math.floor(bound * RESUME_AT_FRACTION);
  switch (r.wouldPause.openRuns) {
    case 'pause': return `would pause (${open} open, bound ${bound})`;
    case 'hold': return `a paused topic stays paused until ${resumeAt} open, a running one runs (${open} open, bound ${bound})`;
    default: return `runs (${open} open, bound ${bound})`;
  }
}

const MODEL_VERDICTS: Record<PauseVerdict, string> = {
  pause: 'would pause (the limiter is saturated)',
  hold: `a paused topic stays paused until the window is ${RESUME_AT_FRACTION * 100} % full, a running one runs`,
  run: 'runs',
  off: 'off (pauseOnModelSaturation false)',
  unknown: 'unknown: the limiter is unreadable',
};

const formatPause = (r: RouteStatus) => `open-runs: ${openRunsVerdict(r)}; model-saturated: ${MODEL_VERDICTS[r.wouldPause.modelSaturated]}`;

function formatRoute(r: RouteStatus): string[] {
  return [
    `route ${r.idPrefix ? `${r.idPrefix}:` : ''}${r.topic} -> ${r.workflowType} on ${r.taskQueue}`,
    line('lag', reading(r.lag, formatLag)),
    line('runs', reading(r.runs, (runs) => formatRuns(runs, r.maxOpenRuns))),
    line('dead letters', reading(r.deadLetters, formatDeadLetters)),
    line('backpressure', formatPause(r)),
  ];
}

function formatLimiter(limiter: Reading<LimiterStatus>): string[] {
  if (!limiter.ok) return [`model limiter unavailable: ${limiter.error}`];
  const { key, limits, enabled, saturation: s, lastHour } = limiter.value;
  const described = enabled
    ? `${limits.tokensPerWindow || 'unlimited'} tokens and ${limits.requestsPerWindow || 'unlimited'} requests per ${limits.windowMs} ms`
    : 'no token or request limit';
  const lines = [`model limiter ${key} (${described})`];
  if (!s) return [...lines, line('now', 'no limiter tables yet: no worker has started against this database; nothing can be saturated')];
  const retryAfter = s.retryAfterMs > 0 ? `Retry-After in force for ${s.retryAfterMs} ms more` : 'no Retry-After';
  const waiting = s.callsWaiting ? 'calls waiting for room' : 'no call waiting';
  const pausing = s.saturated ? '; saturated: bridges pause routes with pauseOnModelSaturation' : '';
  lines.push(line('now', `window ${Math.round(s.fraction * 100)} % full (${s.usedTokens} tokens, ${plural(s.usedRequests, 'request')} counting); ${retryAfter}; ${waiting}${pausing}`));
  if (lastHour) {
    lines.push(line('last hour', `${lastHour.tokens} tokens in ${plural(lastHour.calls, 'call')} of these routes, ${lastHour.costUsd.toFixed(6)} USD estimated (per route, run or step: kta usage)`));
  }
  return lines;
}

function formatBridgeStats(s: BridgeStats): string {
  return [
    `paused topics ${s.pausedTopics}`,
    `pauses ${byKey(s.pausesByReason)}`,
    `resumes ${byKey(s.resumesByReason)}`,
    `model saturated ${s.modelSaturated ? 'yes' : 'no'}`,
    `starts ${s.starts}`,
    `duplicates ${s.duplicates}`,
    `dead letters ${s.deadLetters}`,
    `group joins ${s.groupJoins}`,
  ].join('; ');
}

function formatBridges(bridges: StatusReport['bridges']): string[] {
  if (bridges === null) {
    return ['bridges', line('', 'paused state lives in each bridge: give --bridge http://HOST:METRICS_PORT (repeatable); the backpressure lines above are derived from open runs and the limiter')];
  }
  return bridges.flatMap((b) => [`bridge ${b.url}`, line('', reading(b.stats, formatBridgeStats))]);
}

/** The report as text: a block per route, then the model limiter, then the bridges. */
export function formatStatus(report: StatusReport): string {
  return [
    `kta status at ${report.at}, bridge group ${report.groupId}`,
    ...report.routes.flatMap(formatRoute),
    ...formatLimiter(report.limiter),
    ...formatBridges(report.bridges),
  ].join('\n');
}
