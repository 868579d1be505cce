// The agent loop's state: everything a run needs to go on, serializable, carried through
// continue-as-new so a long loop keeps its conversation, its turn count, what it spent, its tool
// calls (policies read them) and the undos it registered.
import type { ChatMessage } from '../activities/llm/provider';
import type { AgentLoopSettings } from '../core/run-input';
import type { ToolCallRecord } from './tools/define-tool';
import type { ToolCallProblemKind } from './tools/check-tool-call';

/** An undo registered before its reversible call ran: enough to run it after a continue-as-new. */
export interface RegisteredUndo {
  readonly description: string;
  readonly activity: string;
  /** The undo's own step (its key is `workflowId/<step>`). */
  readonly step: string;
  readonly originalKey: string;
  readonly args: unknown;
}

/** One decision of the guard, kept in the run's memo (`guard`) for Temporal UI. */
export interface GuardEntry {
  readonly turn: number;
  readonly tool: string;
  readonly verdict: 'refused' | 'approval-requested' | 'approved' | 'rejected';
  readonly reason: string;
  readonly by?: string;
}

export interface AgentLoopState {
  readonly messages: ChatMessage[];
  /** Model calls so far (re-asks included), across continue-as-new. */
  turn: number;
  tokens: number;
  costUsd: number;
  /** Problems already sent back to the model once; a second of a kind ends the run in review. */
  readonly reasked: ToolCallProblemKind[];
  readonly calls: ToolCallRecord[];
  readonly undos: RegisteredUndo[];
  readonly guard: GuardEntry[];
}

export const initialLoopState = (messages: ChatMessage[]): AgentLoopState => ({ messages, turn: 0, tokens: 0, costUsd: 0, reasked: [], calls: [], undos: [], guard: [] });

export interface Budget {
  readonly maxTurns: number;
  readonly maxTokens?: number;
  readonly maxCostUsd?: number;
}

/** The budget a run reached before its next turn, named for the dead letter; undefined while within all. */
export function budgetReached(state: AgentLoopState, budget: Budget): string | undefined {
  const spent = `${state.turn} model calls, ${state.tokens} tokens, ${state.costUsd.toFixed(6)} USD`;
  if (state.turn >= budget.maxTurns) return `turn budget (maxTurns ${budget.maxTurns}) reached: ${spent}`;
  if (budget.maxTokens !== undefined && state.tokens >= budget.maxTokens) return `token budget (maxTokens ${budget.maxTokens}) reached: ${spent}`;
  if (budget.maxCostUsd !== undefined && state.costUsd >= budget.maxCostUsd) return `cost budget (maxCostUsd ${budget.maxCostUsd}) reached: ${spent}`;
  return undefined;
}

/** The agent's defaults, overridden field by field by the route's settings. */
export function effectiveBudget(defaults: Budget, settings?: AgentLoopSettings): Budget {
  return {
    maxTurns: settings?.maxTurns ?? defaults.maxTurns,
    maxTokens: settings?.maxTokens ?? defaults.maxTokens,
    maxCostUsd: settings?.maxCostUsd ?? defaults.maxCostUsd,
  };
}
