// Turns a side's raw run (completion times, CPU readings, histories) into the figures of one JSON line.
import type { RunCost } from './history-cost';
import type { SideRun } from './e2e-sides';
import { ratio, round } from './summary';

export interface SideFigures {
  readonly completed: number;
  readonly finished: boolean;
  readonly completedPerSecond: number | null;
  readonly latencyMs: { p50: number | null; p99: number | null; max: number | null };
  readonly modelCalls: number;
  readonly duplicateModelCalls: number;
  readonly cpuSecondsPerRecord: Record<string, number | null>;
  readonly systemCpuSecondsPerRecord: number | null;
  readonly systemCpuSecondsPerRecordWithoutTemporalServer: number | null;
  /** Busy cores the side's processes used on average while it ran (of the machine's). */
  readonly systemBusyCores: number | null;
  readonly elapsedMs: number;
  readonly [detail: string]: unknown;
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarizeSide(run: SideRun, records: number): SideFigures {
  const latencies = run.completedAtWallMs.map((at) => at - run.producedAtWallMs).sort((a, b) => a - b);
  const lastMs = latencies.at(-1);
  const perRecord = (seconds: number) => (run.completed ? round(seconds / run.completed, 4) : null);
  const { benchProcess, ...system } = run.cpuSeconds;
  const systemSeconds = Object.values(system).reduce((a, b) => a + b, 0);
  return {
    completed: run.completed,
    finished: run.finished && run.completed === records,
    completedPerSecond: lastMs && lastMs > 0 ? round(run.completed / (lastMs / 1000), 2) : null,
    latencyMs: { p50: percentile(latencies, 50) && Math.round(percentile(latencies, 50)!), p99: percentile(latencies, 99) && Math.round(percentile(latencies, 99)!), max: lastMs === undefined ? null : Math.round(lastMs) },
    modelCalls: run.calls.calls,
    duplicateModelCalls: run.calls.duplicateCalls,
    cpuSecondsPerRecord: Object.fromEntries(Object.entries(run.cpuSeconds).map(([k, v]) => [k, perRecord(v)])),
    systemCpuSecondsPerRecord: perRecord(systemSeconds),
    systemCpuSecondsPerRecordWithoutTemporalServer: perRecord(systemSeconds - (system.temporalServer ?? 0)),
    systemBusyCores: ratio(systemSeconds, run.elapsedMs / 1000, 2),
    benchProcessCpuSeconds: benchProcess,
    elapsedMs: Math.round(run.elapsedMs),
    ...run.detail,
  };
}

export function summarizeCosts(costs: RunCost[]) {
  const mean = (f: (c: RunCost) => number | null) => {
    const values = costs.map(f).filter((v): v is number => v !== null);
    return values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 2) : null;
  };
  return {
    runsRead: costs.length,
    historyEventsPerRun: mean((c) => c.events),
    stateTransitionsPerRun: mean((c) => c.stateTransitions),
    billableActionsPerRun: mean((c) => c.actions),
    maxHistoryEvents: costs.length ? Math.max(...costs.map((c) => c.events)) : null,
    eventTypesOfFirstRun: costs[0]?.eventTypes,
  };
}
