// The model gateway's failure classes (transient, invalid output, invalid tool arguments, permanent, budget).
/** The model answered with something that does not match the schema the caller gave. */
export class ModelOutputInvalidError extends Error {
  override name = 'ModelOutputInvalidError';
  constructor(
    readonly model: string,
    readonly problems: string,
    readonly output: string,
  ) {
    super(`Model ${model} returned output that does not match the schema: ${problems}. Output began: ${output.slice(0, 200)}`);
  }
}

/** A provider failure that will pass: timeout, connection reset, 429, 5xx. Retried with backoff. */
export class LlmTransientError extends Error {
  override name = 'LlmTransientError';
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${provider} model ${model} failed transiently (${status ?? 'no HTTP status'}: ${detail})` +
        `${retryAfterMs !== undefined ? `; the provider asked to wait ${retryAfterMs} ms` : ''}; the call is retried with backoff`,
      options,
    );
  }
}

/** A provider failure that retrying cannot fix: bad key, unknown model, bad request. */
export class LlmPermanentError extends Error {
  override name = 'LlmPermanentError';
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly status: number | undefined,
    detail: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} model ${model} refused the call (${status ?? 'no HTTP status'}: ${detail}); ${fix}`, options);
  }
}

/** The model called a tool with arguments that do not fit the tool: a human looks at it. */
export class InvalidToolArgumentsError extends Error {
  override name = 'InvalidToolArgumentsError';
  constructor(
    readonly model: string,
    readonly tool: string,
    readonly problems: string,
    readonly rawArguments: string,
  ) {
    super(`Model ${model} called tool ${tool} with invalid arguments: ${problems}. Arguments began: ${rawArguments.slice(0, 200)}. The run needs a human review`);
  }
}

/** A single call can never fit the configured token window: the limit or the prompt must change. */
export class TokenBudgetError extends Error {
  override name = 'TokenBudgetError';
  constructor(
    readonly limiterKey: string,
    readonly tokens: number,
    readonly tokensPerWindow: number,
  ) {
    super(`A call to ${limiterKey} needs ${tokens} tokens but the limit is ${tokensPerWindow} per window; raise LLM_TOKENS_PER_WINDOW or lower LLM_MAX_OUTPUT_TOKENS / the prompt size`);
  }
}
