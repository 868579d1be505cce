// The project's error classes. Each message says what failed, names the IDs, and says how to fix it;
// the IDs are also readonly fields so logs and tests need not parse text.

/** Coordinates of one Kafka record, printed as `topic[partition]@offset`. */
export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const formatCoordinates = (c: RecordCoordinates): string => `${c.topic}[${c.partition}]@${c.offset}`;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export class NoRouteError extends Error {
  override name = 'NoRouteError';
  constructor(readonly topic: string) {
    super(`Topic ${topic} has no route; add one to the routes file (ROUTES_FILE) or to ROUTES`);
  }
}

/**
 * A record the route cannot turn into workflow input (bad JSON, schema-invalid, empty). Until dead
 * letters exist, the bridge stops the record's partition on it and commits nothing past it.
 */
export class InvalidRecordError extends Error {
  override name = 'InvalidRecordError';
  constructor(
    readonly coordinates: RecordCoordinates,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Record ${formatCoordinates(coordinates)} cannot become a workflow: ${reason}. ` +
        `Its partition is stopped and nothing past it is committed; fix the producer, then move the group past ` +
        `offset ${coordinates.offset} (kafka-consumer-groups --reset-offsets) or re-produce a valid record`,
      options,
    );
  }
}

/**
 * A start met a run with the same workflow ID but a different record hash: the topic was recreated or
 * its offsets reset, so this is a different record wearing an old record's coordinates.
 */
export class RecordCollisionError extends Error {
  override name = 'RecordCollisionError';
  constructor(
    readonly coordinates: RecordCoordinates,
    readonly workflowId: string,
    readonly recordHash: string,
    readonly existingHash: string | undefined,
  ) {
    super(
      `Record ${formatCoordinates(coordinates)} collides with workflow ${workflowId}: the existing run was started ` +
        `by a record with hash ${existingHash ?? '(none in memo)'}, this record has ${recordHash}. The topic was probably ` +
        `recreated or its offsets reset; its partition is stopped. Use a new route idPrefix for the new topic generation`,
    );
  }
}

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

/** A stack service (Temporal, Kafka, PostgreSQL) could not be reached in time. */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  constructor(
    readonly service: string,
    readonly address: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} at ${address} is not reachable; ${fix}`, options);
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
