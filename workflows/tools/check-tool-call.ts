// Checks one tool call the model asked for against the agent's tools: a known name, JSON arguments
// that fit the tool's schema. A problem is sent back to the model (once per kind per run), so its
// message is written for the model: what was wrong and what to do instead.
import { z } from 'zod';
import type { ToolCall } from '../../core/tool-calls';
import type { Tool } from './define-tool';

export type ToolCallProblemKind = 'unknown-tool' | 'invalid-arguments';

export type CheckedToolCall<R> =
  | { readonly ok: true; readonly call: ToolCall; readonly tool: Tool<R>; readonly args: unknown }
  | { readonly ok: false; readonly call: ToolCall; readonly kind: ToolCallProblemKind; readonly problem: string };

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, '; ');

export function checkToolCall<R>(call: ToolCall, tools: readonly Tool<R>[]): CheckedToolCall<R> {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) {
    return {
      ok: false,
      call,
      kind: 'unknown-tool',
      problem: `There is no tool named ${JSON.stringify(call.name.slice(0, 80))}. The tools are: ${tools.map((t) => t.name).join(', ')}. Call one of them, or answer in text when you are done.`,
    };
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (err) {
    return { ok: false, call, kind: 'invalid-arguments', problem: `The arguments of ${tool.name} are not JSON (${(err as Error).message}). Call it again with a JSON object that fits its schema.` };
  }
  const parsed = tool.input.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, call, kind: 'invalid-arguments', problem: `The arguments of ${tool.name} do not fit its schema: ${oneLine(z.prettifyError(parsed.error))}. Call it again with arguments that fit.` };
  }
  return { ok: true, call, tool, args: parsed.data };
}
