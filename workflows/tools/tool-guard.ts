// The guard before a tool call runs: the tool's policy decides allow / refuse / hold for a human.
// Every refusal and approval request is written where Temporal UI shows it: the run's memo `guard`
// (turn, tool, verdict, reason, who decided), its current details, and, while held, the pending
// review (the `pendingReview` query; `kta review show`). A held call waits for the `decision` update
// (validated, with the route's review deadline and default decision).
import { setCurrentDetails, upsertMemo } from '@temporalio/workflow';
import type { ReviewSettings } from '../../core/run-input';
import type { reviewGate } from '../await-review';
import type { AgentLoopState, GuardEntry } from '../agent-loop-state';
import type { PolicyContext, PolicyVerdict, Tool } from './define-tool';

/** Guard decisions kept in the memo: the latest ones (the memo is not a log). */
const MEMO_ENTRIES = 20;

export type GuardOutcome =
  | { readonly run: true; readonly args: unknown }
  | { readonly run: false; readonly reason: string };

export interface GuardInput<R> {
  readonly tool: Tool<R>;
  readonly args: unknown;
  readonly turn: number;
  readonly state: AgentLoopState;
  readonly ctx: PolicyContext<R>;
  readonly gate: ReturnType<typeof reviewGate>;
  readonly review: ReviewSettings;
  readonly subject: string;
}

function note(state: AgentLoopState, entry: GuardEntry): void {
  state.guard.push(entry);
  upsertMemo({ guard: state.guard.slice(-MEMO_ENTRIES), guardDecisions: state.guard.length });
  setCurrentDetails(`${entry.tool} in turn ${entry.turn}: ${entry.verdict}${entry.by ? ` by ${entry.by}` : ''}: ${entry.reason}`);
}

export async function guardToolCall<R>(input: GuardInput<R>): Promise<GuardOutcome> {
  const { tool, args, turn, state } = input;
  let verdict: PolicyVerdict;
  try {
    verdict = tool.policy ? tool.policy(args, input.ctx) : { verdict: 'allow' };
  } catch (err) {
    // A policy that throws guards nothing: the call is refused (fail closed), and the run goes on.
    verdict = { verdict: 'refuse', reason: `the policy of ${tool.name} failed (${(err as Error).message})` };
  }
  if (verdict.verdict === 'allow') return { run: true, args };
  if (verdict.verdict === 'refuse') {
    note(state, { turn, tool: tool.name, verdict: 'refused', reason: verdict.reason });
    return { run: false, reason: `refused by policy: ${verdict.reason}` };
  }
  note(state, { turn, tool: tool.name, verdict: 'approval-requested', reason: verdict.reason });
  const { decision } = await input.gate.wait(
    { subject: input.subject, question: verdict.reason, draft: JSON.stringify({ tool: tool.name, args }), confidence: 0, why: `${tool.name} needs approval: ${verdict.reason}` },
    input.review,
  );
  if (decision.action === 'approve') {
    note(state, { turn, tool: tool.name, verdict: 'approved', reason: decision.note ?? verdict.reason, by: decision.reviewer });
    return { run: true, args };
  }
  if (decision.action === 'edit') {
    // An edit is the arguments the reviewer approves instead: they must still fit the tool.
    let edited: unknown;
    try {
      edited = tool.input.parse(JSON.parse(decision.answer));
    } catch {
      note(state, { turn, tool: tool.name, verdict: 'rejected', reason: 'the edited arguments do not fit the tool', by: decision.reviewer });
      return { run: false, reason: `a reviewer (${decision.reviewer}) edited the call, but the edit does not fit ${tool.name}'s arguments; it was not run` };
    }
    note(state, { turn, tool: tool.name, verdict: 'approved', reason: `approved with edited arguments ${decision.answer.slice(0, 200)}`, by: decision.reviewer });
    return { run: true, args: edited };
  }
  const why = decision.reason ?? verdict.reason;
  note(state, { turn, tool: tool.name, verdict: 'rejected', reason: why, by: decision.reviewer });
  return { run: false, reason: `a reviewer (${decision.reviewer}) did not approve it: ${why}` };
}
