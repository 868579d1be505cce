// The project's error classes. Each message says what failed, names the IDs, and says how to fix it;
// the IDs are also readonly fields so logs and tests need not parse text.

import { formatCoordinates, type RecordCoordinates } from './core/kafka-record';

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

/** The bridge was told to stop (SIGTERM, SIGINT) while it was still starting; what it had opened is closed. */
export class BridgeStartAbortedError extends Error {
  override name = 'BridgeStartAbortedError';
  constructor(readonly signal: string) {
    super(`The bridge stopped during start-up on ${signal}, before it was running; start it again to run`);
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

/** The booking API refused an action for good (card declined, conflicting key): retrying cannot help. */
export class BookingRejectedError extends Error {
  override name = 'BookingRejectedError';
  constructor(
    readonly endpoint: string,
    readonly idempotencyKey: string,
    readonly status: number,
    detail: string,
  ) {
    super(
      `The booking API refused ${endpoint} for idempotency key ${idempotencyKey} (HTTP ${status}: ${detail}); ` +
        'this is not retried: the saga compensates the steps before it. Fix the request (card, dates) and send a new record',
    );
  }
}

/** The booking API did not answer usably (timeout, connection reset, 5xx): retried with the same key. */
export class BookingUnavailableError extends Error {
  override name = 'BookingUnavailableError';
  constructor(
    readonly endpoint: string,
    readonly idempotencyKey: string,
    readonly status: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The booking API did not complete ${endpoint} for idempotency key ${idempotencyKey} (${status ?? 'no HTTP status'}: ${detail}); ` +
        'the call is retried with the same key, so an action that did happen is answered from the API\'s record, not repeated',
      options,
    );
  }
}

/** An effect was called with a key that does not belong to the run calling it. */
export class IdempotencyKeyError extends Error {
  override name = 'IdempotencyKeyError';
  constructor(
    readonly idempotencyKey: string,
    readonly workflowId: string,
  ) {
    super(
      `Idempotency key ${idempotencyKey} does not belong to workflow ${workflowId}; effect keys are \`workflowId/step\`: ` +
        'derive them in the workflow with effect(step, fn) or effectKey(step) (workflows/effect.ts), never copy one from another run',
    );
  }
}

/** A review decision that the waiting workflow cannot take (malformed, or no review is pending). */
export class InvalidReviewDecisionError extends Error {
  override name = 'InvalidReviewDecisionError';
  constructor(
    readonly workflowId: string,
    readonly problem: string,
  ) {
    super(
      `Review decision for workflow ${workflowId} refused: ${problem}. Send {"action":"approve","reviewer":"<name>"}, ` +
        '{"action":"edit","reviewer":"<name>","answer":"<text>"} or {"action":"reject","reviewer":"<name>","reason":"<text>"}',
    );
  }
}

/** A newer relay with the same transactional ID took over; this one must stop publishing. */
export class OutboxRelayFencedError extends Error {
  override name = 'OutboxRelayFencedError';
  constructor(
    readonly transactionalId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Outbox relay ${transactionalId} was fenced by a newer relay with the same transactional ID; this one stops. ` +
        'Its last transaction was aborted, so nothing it published twice is visible to read_committed consumers; run one relay per RELAY_TRANSACTIONAL_ID',
      options,
    );
  }
}

/** The relay could not read the tail of an output topic, so it cannot know what it already published. */
export class OutboxRecoveryError extends Error {
  override name = 'OutboxRecoveryError';
  constructor(
    readonly topic: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The outbox relay could not recover its position on topic ${topic} (${detail}); it publishes nothing rather than risk a duplicate. ` +
        'Check that the topic exists and the broker is reachable, then start the relay again',
      options,
    );
  }
}

/** `kta replay` was asked for a run Temporal does not have (a mistyped ID, or its retention ran out). */
export class WorkflowHistoryNotFoundError extends Error {
  override name = 'WorkflowHistoryNotFoundError';
  constructor(
    readonly workflowId: string,
    readonly namespace: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Workflow ${workflowId} was not found in namespace ${namespace}, so there is no history to replay; check the ID ` +
        `(\`temporal workflow describe -w ${workflowId}\`), or, if its retention ran out, replay a recorded copy with --file`,
      options,
    );
  }
}

/** A recorded history file that cannot be replayed because it cannot be read as a history. */
export class HistoryFileError extends Error {
  override name = 'HistoryFileError';
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `History file ${path} cannot be replayed: ${problem}; give the JSON written by \`temporal workflow show --output json\`, ` +
        'by the SDK\'s historyToJSON or by `kta replay --save`',
      options,
    );
  }
}

/**
 * A step of the bridge failed because of the record's own bytes (PostgreSQL refused them, the broker
 * found the dead letter too large, the letter could not be encoded). Retrying cannot help, so the
 * record is dead-lettered instead of stalling its partition. `fault` names the failure without
 * quoting the record (it may be personal data, and it reaches logs).
 */
export class RecordFaultError extends Error {
  override name = 'RecordFaultError';
  constructor(
    readonly coordinates: RecordCoordinates,
    readonly step: string,
    readonly fault: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Record ${formatCoordinates(coordinates)} cannot pass the ${step}: ${fault}, caused by the record's own bytes; ` +
        'it is not retried but dead-lettered (by its coordinates alone if need be). Fix the producer that wrote it',
      options,
    );
  }
}

/** A dead letter could not be built from its record (a header or key of an unexpected shape). */
export class DeadLetterEncodingError extends Error {
  override name = 'DeadLetterEncodingError';
  constructor(
    readonly coordinates: RecordCoordinates,
    options?: { cause?: unknown },
  ) {
    super(
      `The dead letter for ${formatCoordinates(coordinates)} could not be encoded from the record's key, headers or value; ` +
        'it is published by its coordinates alone. Read the record from Kafka at those coordinates',
      options,
    );
  }
}

/**
 * A sink (PostgreSQL) refused a value for good: a data error (SQLSTATE class 22, e.g. a NUL character
 * in text), an integrity violation (23) or a size limit (54). Retrying the same value cannot succeed,
 * so the attempt fails for good and the run goes to a human. The message names the table, the row's
 * key and the fields at fault, printed escaped: never the raw value.
 */
export class SinkDataError extends Error {
  override name = 'SinkDataError';
  constructor(
    readonly table: string,
    readonly key: string,
    readonly sqlstate: string,
    readonly fields: readonly string[],
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `PostgreSQL refused the row of ${table} for ${key} (SQLSTATE ${sqlstate}): ${problem}. Retrying the same value cannot help, ` +
        'so the run stops for a human review; fix the value at its producer (or reject it in the route\'s record schema) and send the record again',
      options,
    );
  }
}

/** A route names a topic the brokers do not have: the bridge would fail on its first request for it. */
export class TopicMissingError extends Error {
  override name = 'TopicMissingError';
  constructor(
    readonly topic: string,
    readonly workflowTypes: readonly string[],
    readonly brokers: readonly string[],
  ) {
    super(
      `Topic ${topic} (routed to ${workflowTypes.join(', ')}) does not exist on ${brokers.join(',')}; ` +
        `create it (npx kta topics create ${topic} --partitions 1) or correct the topic in ROUTES`,
    );
  }
}

/** A command named a run that Temporal does not have (a mistyped ID, another namespace, or retention ran out). */
export class WorkflowNotFoundByIdError extends Error {
  override name = 'WorkflowNotFoundByIdError';
  constructor(
    readonly workflowId: string,
    readonly namespace: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(`Workflow ${workflowId} was not found in namespace ${namespace}; ${fix}`, options);
  }
}

/** A review decision for a run that is no longer waiting for one (decided already, or past its deadline). */
export class ReviewNotPendingError extends Error {
  override name = 'ReviewNotPendingError';
  constructor(
    readonly workflowId: string,
    readonly status: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Workflow ${workflowId} is not awaiting a review: it is ${status} (decided already, or its deadline passed); ` +
        '`kta review list` shows the runs that are',
      options,
    );
  }
}

/** `kta new agent` cannot write the agent (a bad name, a folder or registration that exists). */
export class AgentScaffoldError extends Error {
  override name = 'AgentScaffoldError';
  constructor(
    readonly workflowType: string,
    problem: string,
  ) {
    super(`Agent ${workflowType} ${problem}`);
  }
}
