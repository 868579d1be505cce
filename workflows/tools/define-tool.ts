// A tool an agent offers the model, declared once: its name, what it does, the zod schema of its
// arguments (the model sees it as JSON schema; the loop checks every call against it), its kind, the
// undo of a reversible tool and the policy that guards it. Pure: workflow code imports it, and so
// does the agent's activities file, which implements each tool as the activity of the same name.
import { z } from 'zod';
import type { ToolDeclaration } from '../../core/tool-calls';

/** read: no side effect. reversible: has an undo (run by the saga on failure). irreversible: no undo. */
export type ToolKind = 'read' | 'reversible' | 'irreversible';

/** A tool call that ran, as policies and the run's summary see it. */
export interface ToolCallRecord {
  readonly turn: number;
  readonly tool: string;
  readonly args: unknown;
  /** What the tool answered (its activity's result); undefined when it was refused. */
  readonly result?: unknown;
  readonly ok: boolean;
}

export interface PolicyContext<R> {
  /** The run's record as the bridge validated it: the entities it names are the ones the run may touch. */
  readonly record: R;
  /** Earlier calls of this run (across continue-as-new), in order: e.g. the order a refund follows. */
  readonly calls: readonly ToolCallRecord[];
  /** Configured limits (route `workflow.agent.limits`, over the agent's defaults), by name. */
  readonly limits: Readonly<Record<string, number>>;
}

export type PolicyVerdict =
  | { readonly verdict: 'allow' }
  /** Refused back to the model with the reason, as the call's result. */
  | { readonly verdict: 'refuse'; readonly reason: string }
  /** Held for a human decision (the `decision` update); approve runs it, reject refuses it. */
  | { readonly verdict: 'approve'; readonly reason: string };

export const allow = (): PolicyVerdict => ({ verdict: 'allow' });
export const refuse = (reason: string): PolicyVerdict => ({ verdict: 'refuse', reason });
export const needsApproval = (reason: string): PolicyVerdict => ({ verdict: 'approve', reason });

/** Inputs of the activities behind a tool: the arguments, and the call's idempotency key. */
export interface ToolActivityInput<A> {
  /** `workflowId/t<turn>.c<call>.<tool>`: the same for every retry and replacement worker. */
  readonly idempotencyKey: string;
  readonly args: A;
}
export interface UndoActivityInput<A> extends ToolActivityInput<A> {
  /** The key the undone call was sent with (known before it ran, so a call that timed out can be undone). */
  readonly originalKey: string;
}

export interface ToolSpec<S extends z.ZodType, R> {
  /** The name the model calls; also the activity that performs it. */
  readonly name: string;
  readonly description: string;
  readonly input: S;
  readonly kind: ToolKind;
  /** A reversible tool's undo: the activity that reverses it and what it does, for the run's summary. */
  readonly undo?: { readonly activity: string; readonly describe: (args: z.infer<S>) => string };
  /** The guard before the call runs; required for irreversible tools. */
  readonly policy?: (args: z.infer<S>, ctx: PolicyContext<R>) => PolicyVerdict;
}

export interface Tool<R = unknown> extends ToolSpec<z.ZodType, R> {
  /** What the model sees. */
  readonly declaration: ToolDeclaration;
}

const TOOL_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

export function defineTool<S extends z.ZodType, R>(spec: ToolSpec<S, R>): Tool<R> {
  if (!TOOL_NAME.test(spec.name)) throw new Error(`tool name ${JSON.stringify(spec.name)} is invalid: use a letter, then letters, digits or '_' (at most 64); it is also the activity's name`);
  if (spec.kind === 'reversible' && !spec.undo) throw new Error(`tool ${spec.name} is reversible but has no undo; give it one, or declare it irreversible`);
  if (spec.kind !== 'reversible' && spec.undo) throw new Error(`tool ${spec.name} is ${spec.kind} but has an undo; only reversible tools have one`);
  if (spec.kind === 'irreversible' && !spec.policy) throw new Error(`tool ${spec.name} is irreversible but has no policy; every irreversible call is guarded (return allow() to accept every call)`);
  const parameters = z.toJSONSchema(spec.input) as Record<string, unknown>;
  delete parameters.$schema;
  return { ...(spec as unknown as ToolSpec<z.ZodType, R>), declaration: { name: spec.name, description: spec.description, parameters } };
}
