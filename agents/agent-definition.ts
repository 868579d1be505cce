// What an agent is to the runtime: one definition object per agent folder, listed once in
// agents/registry.ts. The bridge validates records with `recordSchema`, the gateway validates answers
// with `outputs`, the worker registers `createActivities`, the workflow bundle exports the workflow
// module, shadow runs stub by `shadow`, doctor and the worker create `tables`, and the replay suite
// replays `historiesDir`. Nothing else in the project names an agent.
import type { Pool, PoolClient } from 'pg';
import type { ChatMessage } from '../activities/llm/provider';
import type { RecordSource } from '../core/run-input';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';

/** What an agent's activities may use; an agent takes what it needs. */
export interface AgentDeps {
  readonly pool: Pool;
  readonly config: Config;
  readonly log: Logger;
}

/** A structured output the model is asked for, by task name: the gateway validates the answer against it. */
export interface OutputSpec {
  readonly schema: z.ZodType;
  readonly description: string;
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** `keep`: the real activity runs in a shadow run (it only reads). `stub`: the answer it gives instead. */
export type ShadowDecision = { readonly keep: string } | { readonly stub: string; readonly answer: (arg: never) => unknown };

/** What one record of a throughput route is to an agent: the prompt, and the effect by key. */
export interface ThroughputHooks {
  /** The structured-output task the model is asked (one of the agent's `outputs`). */
  readonly task: string;
  /** The prompt for one record value (already validated against `recordSchema`). */
  prompt(value: unknown): ChatMessage[];
  /**
   * The record's effect, an upsert by key, written inside the transaction that marks the record done,
   * so it is applied exactly once per record. A value the sink refuses for good throws SinkDataError.
   */
  effect(db: PoolClient, input: { value: unknown; answer: unknown; model: string; source: RecordSource; idempotencyKey: string; workflowId: string }): Promise<void>;
}

export interface AgentDefinition<A extends Record<string, AnyActivity> = Record<string, AnyActivity>> {
  /** The workflow type routes name (`workflowType`) and the exported workflow function's name. */
  readonly workflowType: string;
  /** Absolute path of the agent's workflow module (workflow-safe code only); the bundle exports it. */
  readonly workflowModule: string;
  /** A record value this agent accepts; the bridge dead-letters anything else as INVALID_INPUT/SCHEMA. */
  readonly recordSchema: z.ZodType;
  /** True when the workflow resolves claim checks (large values travel by reference). */
  readonly takesClaimChecks?: boolean;
  readonly outputs: Record<string, OutputSpec>;
  readonly createActivities: (deps: AgentDeps) => A;
  /** Every activity of the agent, decided for shadow runs; one without a decision is a startup error. */
  readonly shadow: { readonly [K in keyof A]: ShadowDecision };
  /** CREATE TABLE IF NOT EXISTS statements of the agent's own tables (run at worker start, checked by doctor). */
  readonly tables: readonly string[];
  /** Present when routes may run this agent in throughput mode (batches per partition run). */
  readonly throughput?: ThroughputHooks;
  /** Folder of the agent's recorded histories (JSON from `temporal workflow show --output json`). */
  readonly historiesDir: string;
}

/** Keeps the activity type of a definition while checking its shape. */
export const defineAgent = <A extends Record<string, AnyActivity>>(definition: AgentDefinition<A>): AgentDefinition<A> => definition;
