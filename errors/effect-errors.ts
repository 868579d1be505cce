// Effects: irreversible actions, human review decisions, sinks and the outbox relay.
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

/** The orders API refused a call for good (no such order, a refund over the balance): the agent's model reads why. */
export class OrdersApiRefusedError extends Error {
  override name = 'OrdersApiRefusedError';
  constructor(
    readonly endpoint: string,
    readonly idempotencyKey: string | undefined,
    readonly status: number,
    detail: string,
  ) {
    super(`The orders API refused ${endpoint}${idempotencyKey ? ` for idempotency key ${idempotencyKey}` : ''} (HTTP ${status}: ${detail}); not retried: the agent's model is told why`);
  }
}

/** The orders API did not answer usably (timeout, reset, 5xx): retried with the same key. */
export class OrdersApiUnavailableError extends Error {
  override name = 'OrdersApiUnavailableError';
  constructor(
    readonly endpoint: string,
    readonly idempotencyKey: string | undefined,
    readonly status: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The orders API did not complete ${endpoint}${idempotencyKey ? ` for idempotency key ${idempotencyKey}` : ''} (${status ?? 'no HTTP status'}: ${detail}); ` +
        'retried with the same key; check BOOKING_API_URL if it persists',
      options,
    );
  }
}
