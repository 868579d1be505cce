// Every model call the LLM simulator served during the run, kept outside the simulator's bounded
// request log by reading it every second. At the end: calls answered per prompt (one prompt is one
// step of one record: every record's text is unique), and which extra calls fell into a window in
// which a fault could interrupt a call mid-way (a worker killed, Temporal down): those are counted
// apart, every other extra call is a step the model was asked twice.
import type { LlmSimulator } from '../dev/llm-simulator/server';

interface Call {
  readonly promptHash: string;
  readonly receivedAtMs: number;
  status: number | null;
  latencyMs: number;
}

export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface ModelCallFigures {
  readonly calls: number;
  readonly answered: number;
  readonly rateLimited: number;
  readonly completedSteps: number;
  /** Answered calls per completed step, interrupted ones left out: must be exactly 1. */
  readonly perCompletedStep: number;
  readonly interruptedStepCalls: number;
  /** Extra answered calls outside any interruption window (must be 0). */
  readonly unexplainedExtraCalls: number;
  readonly slowCalls: number;
}

const POLL_MS = 1_000;
const SLOW_CALL_MS = 1_000;

export function recordModelCalls(llm: LlmSimulator) {
  const calls = new Map<number, Call>();
  const poll = () => {
    for (const r of llm.requests()) {
      const known = calls.get(r.callNumber);
      if (known) {
        known.status = r.status;
        continue;
      }
      calls.set(r.callNumber, { promptHash: r.promptHash, receivedAtMs: r.receivedAtMs, status: r.status, latencyMs: r.latencyMs });
    }
  };
  const timer = setInterval(poll, POLL_MS);
  return {
    /** Calls with at least this latency since `sinceMs` (a latency spike fired). */
    slowCallsSince: (sinceMs: number) => {
      poll();
      return [...calls.values()].filter((c) => c.receivedAtMs >= sinceMs && c.latencyMs >= SLOW_CALL_MS).length;
    },
    figures(interruptions: readonly Window[]): ModelCallFigures {
      poll();
      clearInterval(timer);
      const inWindow = (c: Call) => interruptions.some((w) => c.receivedAtMs >= w.fromMs && c.receivedAtMs <= w.toMs);
      const byPrompt = new Map<string, Call[]>();
      for (const c of calls.values()) if (c.status === 200) byPrompt.set(c.promptHash, [...(byPrompt.get(c.promptHash) ?? []), c]);
      let interrupted = 0;
      let unexplained = 0;
      for (const answered of byPrompt.values()) {
        const extra = answered.length - 1;
        if (extra === 0) continue;
        // The calls of one step that fell into an interruption window, at most the extra ones.
        const explained = Math.min(extra, answered.filter(inWindow).length);
        interrupted += explained;
        unexplained += extra - explained;
      }
      const all = [...calls.values()];
      const completedSteps = byPrompt.size;
      return {
        calls: all.length,
        answered: all.filter((c) => c.status === 200).length,
        rateLimited: all.filter((c) => c.status === 429).length,
        completedSteps,
        perCompletedStep: completedSteps ? (completedSteps + unexplained) / completedSteps : 0,
        interruptedStepCalls: interrupted,
        unexplainedExtraCalls: unexplained,
        slowCalls: all.filter((c) => c.latencyMs >= SLOW_CALL_MS).length,
      };
    },
  };
}
