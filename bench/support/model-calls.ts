// Model calls as the LLM simulator counted them. Every record's prompt is unique, so each call past
// the first for a prompt is a duplicate: the same record sent to the model again.
import type { LlmSimulator } from '../../dev/llm-simulator';

export interface ModelCallCounts {
  readonly calls: number;
  readonly distinctPrompts: number;
  readonly duplicateCalls: number;
  /** The highest number of calls one prompt received. */
  readonly maxCallsForOnePrompt: number;
}

export function modelCallCounts(simulator: LlmSimulator): ModelCallCounts {
  const { calls, callsByPromptHash } = simulator.stats();
  const perPrompt = Object.values(callsByPromptHash);
  return { calls, distinctPrompts: perPrompt.length, duplicateCalls: calls - perPrompt.length, maxCallsForOnePrompt: Math.max(0, ...perPrompt) };
}
