// The agent loop for workflows: the model picks tools, reads their results and decides again until it
// answers in text. Each model turn is the recorded `callModel` activity (the gateway: limiter, usage
// ledger, both providers' native tool calling); each tool call is an activity whose result is
// recorded, behind the tool's policy, with an idempotency key per run, turn and call; reversible
// calls register their undo first and the saga runs the undos in reverse when the run fails. The
// conversation lives here, in workflow state, and rides through continue-as-new. Budgets (turns,
// tokens, cost), a second bad tool call of a kind, or a stop are a clean NeedsReview: AgentStatus
// NeedsReview and a HUMAN_REVIEW dead letter (the caller's deadLetterRun) that names the reason.
import { ApplicationFailure, proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { GatewayActivities } from '../activities/llm/gateway';
import { FailureType } from '../core/failure-types';
import type { RunSettings } from '../core/run-input';
import type { AgentTurnAnswer, ToolCall } from '../core/tool-calls';
import { budgetReached, effectiveBudget, initialLoopState, type AgentLoopState, type Budget } from './agent-loop-state';
import type { reviewGate } from './await-review';
import { runSaga } from './saga';
import { AGENT_STATUS, AgentStatus } from './search-attributes';
import { playTurn } from './agent-turn';
import { UNTRUSTED_DATA_RULE, untrustedData } from './untrusted-data';
import { undoRunner } from './tools/run-tool';
import type { Tool } from './tools/define-tool';

export interface RunAgentOptions<R> {
  /** Names the agent's model turns (the gateway's task, in `kta usage`) and its summaries: `order_support`. */
  readonly name: string;
  /** The system instructions. The rule about untrusted data is appended. */
  readonly instructions: string;
  /** The trusted framing of the job, written by the agent from the record's validated fields. */
  readonly request: string;
  /** The record's free text, passed as delimited untrusted data, never as instructions. */
  readonly untrusted: { readonly label: string; readonly text: string };
  /** The record as the bridge validated it; policies read it (only the entities it names). */
  readonly record: R;
  readonly tools: readonly Tool<R>[];
  readonly settings: RunSettings;
  /** The agent's defaults; the route's `workflow.agent` overrides them. */
  readonly budget: Budget;
  readonly limits?: Readonly<Record<string, number>>;
  /** The review gate the workflow registered first thing (reviewGate()): held tool calls wait on it. */
  readonly gate: ReturnType<typeof reviewGate>;
  /** The state a previous run of this workflow continued as new with. */
  readonly state?: AgentLoopState;
  /** Continues the workflow as new with this state in its input (e.g. `(s) => continueAsNew({ ...input, loop: s })`). */
  readonly continueAsNew: (state: AgentLoopState) => Promise<never>;
}

export interface AgentRunResult {
  readonly answer: string;
  readonly turns: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly toolCalls: number;
  readonly refusals: number;
}

type LoopEnd = { kind: 'answered'; answer: string } | { kind: 'review'; type: string; reason: string } | { kind: 'continue' };

/** Turns per run before continuing as new, when the route does not say. */
const DEFAULT_TURNS_PER_RUN = 40;

export async function runAgent<R>(opts: RunAgentOptions<R>): Promise<AgentRunResult> {
  const { settings, name } = opts;
  const { workflowId } = workflowInfo();
  const budget = effectiveBudget(opts.budget, settings.agent);
  const limits = { ...opts.limits, ...settings.agent?.limits };
  const turnsPerRun = settings.agent?.turnsPerRun ?? DEFAULT_TURNS_PER_RUN;
  const state = opts.state ?? initialLoopState([
    { role: 'system', content: `${opts.instructions}\n\n${UNTRUSTED_DATA_RULE}` },
    { role: 'user', content: `${opts.request}\n\n${untrustedData(opts.untrusted.label, opts.untrusted.text)}` },
  ]);
  const declarations = opts.tools.map((t) => t.declaration);
  const modelTurn = (turn: number) => proxyActivities<GatewayActivities>({
    startToCloseTimeout: settings.modelTimeoutMs,
    // The gateway heartbeats every 2 s, also while it waits for the limiter or the provider.
    heartbeatTimeout: '15s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: settings.transientRetryAttempts },
    summary: `${name}: model turn ${turn}`,
  }).callModel;

  const end = await runSaga(`${name} ${workflowId}`, async (saga): Promise<LoopEnd> => {
    for (const undo of state.undos) saga.register(undo.description, undoRunner(undo, settings));
    for (let turnsThisRun = 0; ; turnsThisRun++) {
      const reached = budgetReached(state, budget);
      if (reached) return { kind: 'review', type: FailureType.NeedsReview, reason: reached };
      if (turnsThisRun > 0 && (turnsThisRun >= turnsPerRun || workflowInfo().continueAsNewSuggested)) return { kind: 'continue' };
      state.turn += 1;
      setCurrentDetails(`${name}: turn ${state.turn} of at most ${budget.maxTurns}; ${state.tokens} tokens, ${state.calls.length} tool calls so far`);
      const answer = await modelTurn(state.turn)({ task: name, messages: state.messages, output: 'tools', tools: declarations, attempt: 1 });
      state.tokens += answer.usage.promptTokens + answer.usage.completionTokens;
      state.costUsd += answer.costUsd ?? 0;
      const turn = answer.value as AgentTurnAnswer;
      const calls: ToolCall[] = turn.toolCalls.map((c, i) => ({ ...c, id: c.id || `call_t${state.turn}_${i + 1}` }));
      state.messages.push({ role: 'assistant', content: turn.text, toolCalls: calls });
      if (calls.length === 0) return { kind: 'answered', answer: turn.text };
      const stop = await playTurn({ calls, tools: opts.tools, state, saga, settings, limits, record: opts.record, gate: opts.gate, subject: `${name} run ${workflowId}` });
      if (stop) return { kind: 'review', type: FailureType.InvalidToolArguments, reason: stop };
    }
  });

  if (end.kind === 'continue') return opts.continueAsNew(state);
  const spent = { turns: state.turn, tokens: state.tokens, costUsd: state.costUsd, toolCalls: state.calls.filter((c) => c.ok).length, refusals: state.guard.filter((g) => g.verdict === 'refused' || g.verdict === 'rejected').length };
  if (end.kind === 'review') {
    upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.NeedsReview }]);
    const message = `${name} run ${workflowId} stopped for a human review: ${end.reason}. Tool calls that ran: ${describeCalls(state)}`;
    setCurrentDetails(message);
    throw ApplicationFailure.create({ type: end.type, message, nonRetryable: true, details: [spent] });
  }
  upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.Completed }]);
  setCurrentDetails(`${name}: answered after ${spent.turns} turns, ${spent.toolCalls} tool calls, ${spent.refusals} refused; ${spent.tokens} tokens`);
  return { answer: end.answer, ...spent };
}

function describeCalls(state: AgentLoopState): string {
  const ran = state.calls.filter((c) => c.ok).map((c) => `${c.tool} (turn ${c.turn})`);
  return ran.length ? ran.join(', ') : 'none';
}
