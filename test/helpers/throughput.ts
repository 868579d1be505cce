// Throughput-mode scenarios: the scenario's route switched to mode throughput, and what the tests read
// back: the results table, the review index, the model calls per prompt, the partition runs.
import type { BatchSettings } from '../../config';
import type { Scenario } from './scenario';

export function useThroughputRoute(s: Scenario, batch: Partial<BatchSettings>): void {
  const [route] = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  s.env.ROUTES = JSON.stringify([{ ...route, mode: 'throughput', batch }]);
}

export async function resultCounts(s: Scenario): Promise<Record<string, number>> {
  const { rows } = await s.pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM throughput_results WHERE topic = $1 GROUP BY status', [s.topic]);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Model calls as the simulator counted them; each record has its own prompt. */
export function modelCalls(s: Scenario): { calls: number; prompts: number; duplicates: number } {
  const { calls, callsByPromptHash } = s.simulator.stats();
  const prompts = Object.keys(callsByPromptHash).length;
  return { calls, prompts, duplicates: calls - prompts };
}

/** Runs of the topic (every run of every partition, continued-as-new ones included). */
export async function partitionRuns(s: Scenario): Promise<{ workflowId: string; runId: string; status: string }[]> {
  return (await s.runs()).map((r) => ({ workflowId: r.workflowId, runId: r.runId, status: r.status.name }));
}
