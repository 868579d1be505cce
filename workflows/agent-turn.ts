// One turn's tool calls: every call is checked first (a known tool, arguments that fit); a turn with
// a bad call runs none of its calls and tells the model what was wrong, once per kind of problem per
// run (a second time ends the run in review). Otherwise each call passes the guard and runs, in the
// order the model gave, and every call gets its result (OpenAI and Anthropic both want one per call).
import type { RunSettings } from '../core/run-input';
import type { ToolCall } from '../core/tool-calls';
import type { AgentLoopState } from './agent-loop-state';
import type { reviewGate } from './await-review';
import type { Saga } from './saga';
import { checkToolCall, type CheckedToolCall } from './tools/check-tool-call';
import type { Tool } from './tools/define-tool';
import { runTool } from './tools/run-tool';
import { guardToolCall } from './tools/tool-guard';

/** Tool results the model reads are cut here: a large answer must not blow the context or the budget. */
const MAX_RESULT_CHARS = 8_000;

export interface TurnInput<R> {
  readonly calls: readonly ToolCall[];
  readonly tools: readonly Tool<R>[];
  readonly state: AgentLoopState;
  readonly saga: Saga;
  readonly settings: RunSettings;
  readonly limits: Readonly<Record<string, number>>;
  readonly record: R;
  readonly gate: ReturnType<typeof reviewGate>;
  readonly subject: string;
}

const asResult = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}... (cut at ${MAX_RESULT_CHARS} characters)` : text;
};

/** Plays one turn's calls; returns why the run must stop for a human, or undefined to go on. */
export async function playTurn<R>(input: TurnInput<R>): Promise<string | undefined> {
  const { state, calls } = input;
  const turn = state.turn;
  const reply = (call: ToolCall, content: string, isError = false) =>
    state.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content, ...(isError ? { isError } : {}) });

  const checked: CheckedToolCall<R>[] = calls.map((c) => checkToolCall(c, input.tools));
  const problems = checked.filter((c) => !c.ok);
  if (problems.length > 0) {
    const again = problems.find((p) => state.reasked.includes(p.kind));
    if (again) {
      return `the model made a tool call with ${again.kind === 'unknown-tool' ? 'an unknown tool' : 'invalid arguments'} again in turn ${turn} ` +
        `(${JSON.stringify(again.call.name.slice(0, 80))}: ${again.problem.slice(0, 300)}) after it was told once; no tool of that turn ran`;
    }
    for (const p of problems) if (!state.reasked.includes(p.kind)) state.reasked.push(p.kind);
    for (const c of checked) {
      if (c.ok) reply(c.call, 'Not run: another call of this turn was invalid. Call it again if you still need it.', true);
      else reply(c.call, c.problem, true);
    }
    return undefined;
  }

  for (const [index, c] of checked.entries()) {
    if (!c.ok) continue;
    const guarded = await guardToolCall({
      tool: c.tool,
      args: c.args,
      turn,
      state,
      ctx: { record: input.record, calls: state.calls, limits: input.limits },
      gate: input.gate,
      review: input.settings.review,
      subject: `${c.tool.name} in turn ${turn} of ${input.subject}`,
    });
    if (!guarded.run) {
      state.calls.push({ turn, tool: c.tool.name, args: c.args, ok: false });
      reply(c.call, `Not run, ${guarded.reason}. Do not try to get around this; continue within your instructions or answer in text.`, true);
      continue;
    }
    const outcome = await runTool({ tool: c.tool, args: guarded.args, turn, call: index + 1, settings: input.settings, saga: input.saga, state });
    if (outcome.ok) {
      state.calls.push({ turn, tool: c.tool.name, args: guarded.args, result: outcome.result, ok: true });
      reply(c.call, asResult(outcome.result));
    } else {
      state.calls.push({ turn, tool: c.tool.name, args: guarded.args, ok: false });
      reply(c.call, `The service refused the call: ${outcome.refusal}`, true);
    }
  }
  return undefined;
}
