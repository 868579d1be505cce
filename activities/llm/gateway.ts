// The LLM gateway activity: one recorded model call. It limits (tokens and requests per window, shared
// across workers), calls the configured provider, validates structured output, classifies failures and
// returns one result shape whatever the provider. A re-ask after invalid output is a new call made by
// the workflow, so every attempt is its own event in history.
import { createHash } from 'node:crypto';
import { NON_RETRYABLE_MODEL_FAILURES } from '../../core/failure-types';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { InvalidToolArgumentsError, LlmTransientError, ModelOutputInvalidError, TokenBudgetError } from '../../errors';
import { sleep } from '../../lib/backoff';
import { classifyProviderError } from './classify-error';
import { LIMITER_RECHECK_MS, limiterKeyFor, type TokenLimiter } from './limiter/token-limiter';
import type { OutputSpec } from '../../agents/agent-definition';
import { LlmPermanentError } from '../../errors';
import { SHARED_OUTPUTS } from './output-schemas';
import type { ChatMessage, ModelProvider } from './provider';
import { estimatePromptTokens, loadTokenizer } from './token-estimate';
import type { ModelMetrics } from './model-metrics';
import { estimateCostUsd, type CallOutcome, type ModelCallRecord, type ModelPrices, type UsageLedger } from './usage-ledger';
import type { AgentTurnAnswer, ToolDeclaration } from '../../core/tool-calls';

export interface CallModelInput {
  /** A structured-output task: the shared ones (output-schemas.ts) or an agent's (agents/<name>/output.ts). */
  readonly task: string;
  readonly messages: ChatMessage[];
  /**
   * json: a JSON answer (response format / forced tool); tool: the model must call the task's tool;
   * tools: an agent turn, the model may call any of `tools` or answer in text (the value is an
   * AgentTurnAnswer; the agent loop checks the calls against its tools, so `task` only names the agent).
   */
  readonly output: 'json' | 'tool' | 'tools';
  /** The tools an agent turn offers (output `tools`). */
  readonly tools?: readonly ToolDeclaration[];
  /** 1 for the first ask, 2.. for re-asks after invalid output. */
  readonly attempt: number;
  readonly temperature?: number;
}

export interface ModelCallResult<T = unknown> {
  readonly value: T;
  readonly provider: string;
  readonly model: string;
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number };
  /** Estimated at LLM_PRICE_*; 0 when no prices are configured. Agent loops add it up for their cost budget. */
  readonly costUsd?: number;
  readonly latencyMs: number;
  readonly limiterWaitMs: number;
  readonly attempt: number;
  readonly promptHash: string;
}

export interface GatewayDeps {
  readonly provider: ModelProvider;
  readonly limiter: TokenLimiter;
  readonly maxOutputTokens: number;
  readonly requestTimeoutMs: number;
  /** How long a call may wait for the limiter before it fails transiently (and is retried). */
  readonly maxLimiterWaitMs: number;
  /** Lineage and cost: every call the provider answered or refused, with its run and step. */
  readonly ledger?: UsageLedger;
  /** The agents' structured outputs by task name (agents/registry.ts); the shared ones are always there. */
  readonly outputs?: Readonly<Record<string, OutputSpec>>;
  /** The worker's Prometheus series (activities/llm/model-metrics.ts); absent in benches and tools. */
  readonly metrics?: ModelMetrics;
  /** USD per million tokens, for the cost each result reports. */
  readonly prices?: ModelPrices;
}

/** The workflow's heartbeat timeout for callModel must be a few of these (see workflows/ask-model.ts). */
export const HEARTBEAT_EVERY_MS = 2_000;


/** Non-retryable for Temporal: the workflow decides (re-ask, human review) or the fix is configuration. */
const NON_RETRYABLE = NON_RETRYABLE_MODEL_FAILURES;

function toFailure(err: Error): ApplicationFailure {
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: NON_RETRYABLE.has(err.name),
    nextRetryDelay: err instanceof LlmTransientError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
    details: err instanceof ModelOutputInvalidError || err instanceof InvalidToolArgumentsError ? [{ problems: err.problems }] : undefined,
    cause: err,
  });
}

export function createGatewayActivities(deps: GatewayDeps) {
  const outputs: Readonly<Record<string, OutputSpec>> = { ...SHARED_OUTPUTS, ...deps.outputs };
  const jsonSchemas = new Map<string, Record<string, unknown>>();
  const specFor = (task: string): OutputSpec => {
    const spec = outputs[task];
    if (!spec) throw new LlmPermanentError(deps.provider.provider, deps.provider.model, undefined, `no output schema is registered for task ${task}`, "declare it in the agent's output.ts and list it in its agent.ts outputs");
    return spec;
  };
  const jsonSchemaFor = (task: string) => {
    let s = jsonSchemas.get(task);
    if (!s) jsonSchemas.set(task, (s = z.toJSONSchema(specFor(task).schema) as Record<string, unknown>));
    return s;
  };

  const { provider, limiter } = deps;
  const limiterKey = limiterKeyFor(provider.provider, provider.model);
  // The tokenizer's ranks take about a second of CPU to load: at start-up, not in the first call's
  // heartbeat window. Without limits nothing is estimated, so nothing is loaded.
  if (limiter.enabled) loadTokenizer();

  async function waitForCapacity(tokens: number): Promise<{ id?: string; waitedMs: number; queued: boolean }> {
    const ctx = Context.current();
    const startedAt = Date.now();
    // Stop waiting early enough that the call itself still fits in this attempt's start-to-close:
    // an attempt that times out while its call is on the wire would pay for a duplicate answer.
    const attemptEndsAt = ctx.info.currentAttemptScheduledTimestampMs + ctx.info.startToCloseTimeoutMs;
    const maxWaitMs = Math.min(deps.maxLimiterWaitMs, attemptEndsAt - Date.now() - deps.requestTimeoutMs);
    for (let queued = false; ; queued = true) {
      const r = await limiter.reserve(limiterKey, tokens);
      if (r.granted) return { id: r.id, waitedMs: Date.now() - startedAt, queued };
      const waited = Date.now() - startedAt;
      if (waited + Math.min(r.waitMs, LIMITER_RECHECK_MS) > maxWaitMs) {
        throw new LlmTransientError(provider.provider, provider.model, undefined, undefined, `waited ${waited} ms for the rate limiter (${r.reason})`);
      }
      ctx.heartbeat({ waitingForLimiterMs: waited, reason: r.reason });
      await sleep(Math.min(r.waitMs, LIMITER_RECHECK_MS), ctx.cancellationSignal);
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
    }
  }

  async function callModelOnce(ctx: Context, input: CallModelInput): Promise<ModelCallResult> {
    const agentTurn = input.output === 'tools';
    const spec = agentTurn ? undefined : specFor(input.task);
    const schema = agentTurn ? { tools: input.tools ?? [] } : jsonSchemaFor(input.task);
    const promptHash = createHash('sha256').update(JSON.stringify(input.messages)).digest('hex');
    try {
      // Only a configured limit needs the estimate (a reservation); without one, no prompt is tokenized.
      const estimate = limiter.enabled ? (await estimatePromptTokens(input.messages, schema)) + deps.maxOutputTokens : 0;
      const reservation = await waitForCapacity(estimate);
      const startedAt = Date.now();
      if (reservation.queued) deps.metrics?.limiterWait(reservation.waitedMs);
      const record = (outcome: CallOutcome, model: string, promptTokens: number, completionTokens: number) => {
        const call: ModelCallRecord = {
          // An activity started outside a workflow (a test harness) has no run to attribute the call to.
          workflowId: ctx.info.workflowExecution?.workflowId ?? '(no workflow)',
          runId: ctx.info.workflowExecution?.runId ?? '',
          workflowType: ctx.info.workflowType ?? '(none)',
          activityId: ctx.info.activityId,
          activityAttempt: ctx.info.attempt,
          ask: input.attempt,
          task: input.task,
          provider: provider.provider,
          model,
          promptTokens,
          completionTokens,
          latencyMs: Date.now() - startedAt,
          limiterWaitMs: reservation.waitedMs,
          outcome,
          promptHash,
        };
        deps.metrics?.call(call);
        return deps.ledger?.record(call);
      };
      let answer;
      try {
        answer = await provider.complete({
          messages: input.messages,
          output: agentTurn
            ? { kind: 'tools', tools: input.tools ?? [] }
            : input.output === 'tool'
              ? { kind: 'tool', name: input.task, description: spec!.description, schema }
              : { kind: 'json', name: input.task, schema },
          temperature: input.temperature,
          maxOutputTokens: deps.maxOutputTokens,
          timeoutMs: deps.requestTimeoutMs,
          signal: ctx.cancellationSignal,
        });
      } catch (err) {
        const classified = classifyProviderError(err, provider.provider, provider.model);
        await record('failed', provider.model, 0, 0);
        if (reservation.id) await limiter.settle(reservation.id, estimate - deps.maxOutputTokens);
        // One 429 pauses every call to this provider/model, in every worker, not only this one.
        if (classified instanceof LlmTransientError && classified.status === 429) {
          await limiter.pause(limiterKey, classified.retryAfterMs ?? 1_000);
        }
        throw classified;
      }
      const usage = answer.usage;
      if (reservation.id) await limiter.settle(reservation.id, usage.promptTokens + usage.completionTokens || estimate);
      const costUsd = deps.prices ? estimateCostUsd(deps.prices, usage.promptTokens, usage.completionTokens) : 0;
      const result = (value: unknown): ModelCallResult => ({
        value,
        provider: provider.provider,
        model: answer.model,
        usage,
        costUsd,
        latencyMs: Date.now() - startedAt,
        limiterWaitMs: reservation.waitedMs,
        attempt: input.attempt,
        promptHash,
      });
      if (agentTurn) {
        // The calls are checked by the agent loop against its tools (an unknown name or bad arguments
        // are sent back to the model once): the gateway records the turn as the model gave it.
        await record('ok', answer.model, usage.promptTokens, usage.completionTokens);
        return result({ text: answer.content, toolCalls: answer.toolCalls ?? [] } satisfies AgentTurnAnswer);
      }
      const invalid = async (problems: string) => {
        await record(input.output === 'tool' ? 'invalid-tool-arguments' : 'invalid-output', answer.model, usage.promptTokens, usage.completionTokens);
        return input.output === 'tool'
          ? new InvalidToolArgumentsError(answer.model, input.task, problems, answer.content)
          : new ModelOutputInvalidError(answer.model, problems, answer.content);
      };
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.content);
      } catch (err) {
        throw await invalid(`not JSON (${(err as Error).message})`);
      }
      const checked = spec!.schema.safeParse(parsed);
      if (!checked.success) throw await invalid(z.prettifyError(checked.error).replace(/\n/g, '; '));
      await record('ok', answer.model, usage.promptTokens, usage.completionTokens);
      return result(checked.data);
    } catch (err) {
      deps.metrics?.failure(err instanceof ApplicationFailure ? (err.type ?? 'ApplicationFailure') : err instanceof Error ? err.name : 'unknown');
      if (err instanceof ApplicationFailure) throw err;
      if (err instanceof Error && (err.name in { LlmTransientError: 1, LlmPermanentError: 1, ModelOutputInvalidError: 1, InvalidToolArgumentsError: 1 } || err instanceof TokenBudgetError)) {
        throw toFailure(err);
      }
      throw err;
    }
  }

  return {
    async callModel(input: CallModelInput): Promise<ModelCallResult> {
      const ctx = Context.current();
      // Heartbeats for the whole call: a dead worker is noticed within the heartbeat timeout, and a
      // timed-out or cancelled attempt learns it and stops instead of calling the model anyway.
      const heartbeat = setInterval(() => ctx.heartbeat({ phase: 'calling' }), HEARTBEAT_EVERY_MS);
      try {
        return await callModelOnce(ctx, input);
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
