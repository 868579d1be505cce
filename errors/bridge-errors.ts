// The bridge: records that cannot become a run, and its start-up.
import { formatCoordinates, type RecordCoordinates } from '../core/kafka-record';

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
        `recreated or its offsets reset; it becomes a COLLISION dead letter (re-drive it with kta reprocess --class COLLISION), ` +
        'and a new route idPrefix gives the new topic generation runs of its own',
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
