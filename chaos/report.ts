// The chaos run's figures: a table for people and one JSON line with what the issue asks for. The
// must-be-0 figures and the faults that did not fire are listed as `failures`: an empty list is a pass.
import type { TopicAudit } from './audit';
import type { FaultKind, FiredFault } from './fault-kinds';
import type { ModelCallFigures } from './model-call-log';
import type { PlannedRecord } from './record-plan';
import type { Sample } from './sampler';
import type { Role } from './services';

export interface ChaosReport {
  readonly records: number;
  readonly runs: number;
  readonly deadLetters: number;
  readonly offsetsWithNeither: number;
  readonly offsetsWithTwoRuns: number;
  readonly duplicateEffects: number;
  readonly leakedEffects: number;
  readonly uncommittedOffsets: number;
  readonly openRuns: number;
  readonly modelCallsPerCompletedStep: number;
  readonly interruptedStepCalls: number;
  readonly unexplainedExtraModelCalls: number;
  readonly faults: Partial<Record<FaultKind, number>>;
  readonly faultsNotFired: string[];
  readonly peakRssMiB: { bridge: number; worker: number };
  /** Peak RSS over the whole run over the peak until the 1,000th closed run. */
  readonly rssGrowth: { bridge: number | null; worker: number | null };
  readonly recordsPerSecond: number;
  readonly recordToStartMs: { p50: number; p99: number };
  readonly recordToCompletionMs: { p50: number; p99: number };
  readonly unplannedExits: Record<Role, number>;
  readonly settled: boolean;
  /** `kta audit` over the same routes: every offset up to the committed one has its run or dead letter. */
  readonly opsAudit: { ok: boolean; missing: number; error?: string };
  readonly compensations: number;
  readonly businessKeySkips: number;
  /**
   * Business-key skips beyond the planned duplicates (must be 0): a record delivered again that the
   * workflow-ID dedup did not recognise, so only its business key kept it from running twice.
   */
  readonly redeliveriesMissedByWorkflowId: number;
  readonly plan: { good: number; bad: number; duplicates: number };
  readonly seed: number;
  readonly bridgeEnv: Record<string, string>;
  readonly examples: string[];
  readonly failures: string[];
  readonly table: string;
  readonly svgPath?: string;
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const sum = (audits: TopicAudit[], f: (a: TopicAudit) => number) => audits.reduce((s, a) => s + f(a), 0);
const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

function rssGrowth(samples: readonly Sample[], key: 'bridgeRssBytes' | 'workerRssBytes'): number | null {
  const peak = (xs: readonly Sample[]) => xs.reduce((m, s) => Math.max(m, s[key]), 0);
  const at1k = samples.findIndex((s) => s.closed >= 1_000);
  if (at1k < 0) return null;
  const early = peak(samples.slice(0, at1k + 1));
  return early ? Math.round((peak(samples) / early) * 100) / 100 : null;
}

export function buildReport(input: {
  options: { records: number; seed: number; rate: number; bridgeEnv: Record<string, string> };
  plan: readonly PlannedRecord[];
  audits: TopicAudit[];
  faults: readonly FiredFault[];
  modelCalls: ModelCallFigures;
  samples: readonly Sample[];
  unplannedExits: Record<Role, number>;
  settled: boolean;
  opsAudit: { ok: boolean; missing: number; error?: string };
  startedAtMs: number;
  producedAtMs: number;
  finishedAtMs: number;
}): ChaosReport {
  const { audits, faults, modelCalls } = input;
  const faultCounts: Partial<Record<FaultKind, number>> = {};
  for (const f of faults) if (f.fired) faultCounts[f.kind] = (faultCounts[f.kind] ?? 0) + 1;
  const toStart = audits.flatMap((a) => a.toStartMs);
  const toClose = audits.flatMap((a) => a.toCloseMs);
  const report = {
    records: sum(audits, (a) => a.records),
    runs: sum(audits, (a) => a.runs),
    deadLetters: sum(audits, (a) => a.deadLetters),
    offsetsWithNeither: sum(audits, (a) => a.offsetsWithNeither),
    offsetsWithTwoRuns: sum(audits, (a) => a.offsetsWithTwoRuns),
    duplicateEffects: sum(audits, (a) => a.effects.duplicates),
    leakedEffects: sum(audits, (a) => a.effects.leaks),
    uncommittedOffsets: sum(audits, (a) => a.uncommitted),
    openRuns: sum(audits, (a) => a.openRuns),
    modelCallsPerCompletedStep: Math.round(modelCalls.perCompletedStep * 1000) / 1000,
    interruptedStepCalls: modelCalls.interruptedStepCalls,
    unexplainedExtraModelCalls: modelCalls.unexplainedExtraCalls,
    faults: faultCounts,
    faultsNotFired: faults.filter((f) => !f.fired).map((f) => `${f.kind}: ${f.evidence}`),
    peakRssMiB: { bridge: mib(Math.max(0, ...input.samples.map((s) => s.bridgeRssBytes))), worker: mib(Math.max(0, ...input.samples.map((s) => s.workerRssBytes))) },
    rssGrowth: { bridge: rssGrowth(input.samples, 'bridgeRssBytes'), worker: rssGrowth(input.samples, 'workerRssBytes') },
    recordsPerSecond: Math.round((input.plan.length / Math.max(1, (input.finishedAtMs - input.startedAtMs) / 1000)) * 10) / 10,
    recordToStartMs: { p50: pct(toStart, 50), p99: pct(toStart, 99) },
    recordToCompletionMs: { p50: pct(toClose, 50), p99: pct(toClose, 99) },
    unplannedExits: input.unplannedExits,
    settled: input.settled,
    opsAudit: input.opsAudit,
    compensations: sum(audits, (a) => a.effects.compensations),
    businessKeySkips: sum(audits, (a) => a.businessKeySkips),
    redeliveriesMissedByWorkflowId: Math.max(0, sum(audits, (a) => a.businessKeySkips) - input.plan.filter((r) => r.kind === 'duplicate').length),
    plan: { good: input.plan.filter((r) => r.kind === 'good').length, bad: input.plan.filter((r) => r.kind === 'bad').length, duplicates: input.plan.filter((r) => r.kind === 'duplicate').length },
    seed: input.options.seed,
    bridgeEnv: input.options.bridgeEnv,
    examples: audits.flatMap((a) => a.examples).slice(0, 10),
  };
  const failures: string[] = [];
  for (const key of ['offsetsWithNeither', 'offsetsWithTwoRuns', 'duplicateEffects', 'leakedEffects', 'uncommittedOffsets', 'openRuns', 'unexplainedExtraModelCalls', 'redeliveriesMissedByWorkflowId'] as const) {
    if (report[key] !== 0) failures.push(`${key} is ${report[key]} (must be 0)`);
  }
  if (report.modelCallsPerCompletedStep !== 1) failures.push(`modelCallsPerCompletedStep is ${report.modelCallsPerCompletedStep} (must be 1.000)`);
  if (report.records !== input.plan.length) failures.push(`the topics hold ${report.records} records, ${input.plan.length} were planned`);
  failures.push(...report.faultsNotFired.map((f) => `fault did not fire: ${f}`));
  if (!input.opsAudit.ok) failures.push(`kta audit finds ${input.opsAudit.missing} offsets missing${input.opsAudit.error ? ` (${input.opsAudit.error})` : ''}`);
  if (!input.settled) failures.push('the work did not finish before the settle timeout');
  return { ...report, failures, table: table(audits, faults, report) };
}

function table(audits: TopicAudit[], faults: readonly FiredFault[], r: Omit<ChaosReport, 'failures' | 'table'>): string {
  const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(i === 0 ? 0 : 9).padEnd(i === 0 ? 24 : 0)).join(' ');
  const lines = [
    row(['topic', 'records', 'runs', 'dead', 'bk-skips', 'neither', 'two-runs', 'effects', 'dup-eff', 'leaks']),
    ...audits.map((a) => row([a.topic, a.records, a.runs, a.deadLetters, a.businessKeySkips, a.offsetsWithNeither, a.offsetsWithTwoRuns, a.effects.effects, a.effects.duplicates, a.effects.leaks])),
    ...audits.map((a) => `  ${a.topic}: ${a.effects.note}`),
    '',
    'faults:',
    ...faults.map((f) => `  ${new Date(f.startedAtMs).toISOString().slice(11, 19)} ${f.kind.padEnd(22)} ${f.fired ? 'fired' : 'NOT FIRED'}  ${f.evidence}`),
    '',
    `model calls per completed step ${r.modelCallsPerCompletedStep.toFixed(3)}, interrupted step calls ${r.interruptedStepCalls}, unexplained extra calls ${r.unexplainedExtraModelCalls}`,
    `peak RSS bridge ${r.peakRssMiB.bridge} MiB, worker ${r.peakRssMiB.worker} MiB; growth after 1,000 runs ${r.rssGrowth.bridge === null || r.rssGrowth.worker === null ? 'not measured (the run closed fewer than 1,000 runs)' : `bridge ${r.rssGrowth.bridge.toFixed(2)}x, worker ${r.rssGrowth.worker.toFixed(2)}x`}`,
    `throughput ${r.recordsPerSecond} records/s; record-to-start p50 ${r.recordToStartMs.p50} ms p99 ${r.recordToStartMs.p99} ms; record-to-completion p50 ${r.recordToCompletionMs.p50} ms p99 ${r.recordToCompletionMs.p99} ms`,
  ];
  return lines.join('\n');
}
