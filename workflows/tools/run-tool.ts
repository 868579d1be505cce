// Runs one tool call as the activity named after the tool. Its idempotency key follows from the run,
// the turn and the call (`workflowId/t<turn>.c<call>.<tool>`), so a retry, a replacement worker or
// a reset sends the same key. A reversible tool's undo is registered with the saga before the call
// runs (a call that timed out may still have acted), and kept in the loop state for continue-as-new.
// A refusal by the service (ToolRefusedError) is an answer for the model, not a failure of the run.
import { proxyActivities } from '@temporalio/workflow';
import { FailureType } from '../../core/failure-types';
import type { RunSettings } from '../../core/run-input';
import { failureMessage, failureType } from '../ask-model';
import { effect, effectKey } from '../effect';
import { proxyCompensations, type Saga } from '../saga';
import type { AgentLoopState, RegisteredUndo } from '../agent-loop-state';
import type { Tool, ToolActivityInput, UndoActivityInput } from './define-tool';

type ToolActivity = (input: ToolActivityInput<unknown> | UndoActivityInput<unknown>) => Promise<unknown>;

export type ToolOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly refusal: string };

const brief = (value: unknown, max = 160) => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max)}...` : text;
};

/** Runs a registered undo (now, or after a continue-as-new) under its own key. */
export function undoRunner(undo: RegisteredUndo, settings: RunSettings): () => Promise<unknown> {
  return () => effect(undo.step, (key) => {
    const acts = proxyCompensations<Record<string, ToolActivity>>(settings.effectTimeoutMs, `Compensate: ${undo.description}`);
    return acts[undo.activity]({ idempotencyKey: key, originalKey: undo.originalKey, args: undo.args });
  });
}

export async function runTool<R>(
  opts: { tool: Tool<R>; args: unknown; turn: number; call: number; settings: RunSettings; saga: Saga; state: AgentLoopState },
): Promise<ToolOutcome> {
  const { tool, args, turn, call, settings, saga, state } = opts;
  const step = `t${turn}.c${call}.${tool.name}`;
  const acts = proxyActivities<Record<string, ToolActivity>>({
    startToCloseTimeout: settings.effectTimeoutMs,
    // Transient failures retry with the same key; a refusal is the model's to handle.
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: settings.effectRetryAttempts, nonRetryableErrorTypes: [FailureType.ToolRefused] },
    summary: `Turn ${turn}: ${tool.name} (${tool.kind}) ${brief(args)}`,
  });
  const invoke = (key: string) => acts[tool.name]({ idempotencyKey: key, args });
  try {
    let result: unknown;
    if (tool.kind === 'read') {
      result = await invoke(effectKey(step));
    } else if (tool.kind === 'irreversible') {
      result = await effect(step, invoke);
    } else {
      const undo: RegisteredUndo = { description: tool.undo!.describe(args as never), activity: tool.undo!.activity, step: `${step}.undo`, originalKey: effectKey(step), args };
      state.undos.push(undo);
      result = await saga.step(undo.description, undoRunner(undo, settings), () => effect(step, invoke));
    }
    return { ok: true, result };
  } catch (err) {
    if (failureType(err) !== FailureType.ToolRefused) throw err;
    return { ok: false, refusal: failureMessage(err) };
  }
}

