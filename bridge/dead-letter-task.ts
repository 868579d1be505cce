// The dead-letter path of one record, built so that the record's own bytes cannot stall its
// partition. Two steps, each retried on its own until acknowledged: the Kafka send, then the audit
// row. A retry of a failed audit never sends the letter again (before, each retry published another
// copy). When a step fails because of the record itself (its letter cannot be encoded, PostgreSQL
// refuses a byte, the broker finds it too large), the letter is replaced by its pointer-only form
// (class, coordinates, a fixed reason; no key, headers or value), which nothing in the record can make
// fail; its failures can only be systemic and are retried like any other.
import { formatCoordinates } from '../core/kafka-record';
import { RecordFaultError } from '../errors';
import type { DeadLetter } from '../lib/dead-letter';
import type { KafkaRecord } from './route';
import { untilAcknowledged, type RetryDeps } from './until-acknowledged';

/** The reason code of a dead letter that carries the record's coordinates alone. */
export const POINTER_ONLY_REASON_CODE = 'DEAD_LETTER_UNWRITABLE';

export interface DeadLetterSink {
  send(topic: string, dl: DeadLetter): Promise<void>;
  audit(topic: string, dl: DeadLetter): Promise<void>;
}

export interface DeadLetterDeps extends RetryDeps {
  readonly deadLetters: DeadLetterSink;
}

export function pointerOnly(dl: DeadLetter, fault: RecordFaultError): DeadLetter {
  return {
    ...dl,
    pointerOnly: true,
    reasonCode: POINTER_ONLY_REASON_CODE,
    reason:
      `the ${dl.class} dead letter (reason code ${dl.reasonCode}) could not be written in full: ${fault.fault} at the ${fault.step}; ` +
      `this one carries the coordinates alone: read the record from Kafka at ${formatCoordinates(dl.original)}`,
  };
}

/** Resolves true once the letter is sent and audited, false when the batch was abandoned. */
export async function deadLetterRecord(record: KafkaRecord, topic: string, dl: DeadLetter, deps: DeadLetterDeps, signal: AbortSignal): Promise<boolean> {
  let letter = dl;
  const steps = [
    ['dead-letter send', (l: DeadLetter) => deps.deadLetters.send(topic, l)],
    ['dead-letter audit', (l: DeadLetter) => deps.deadLetters.audit(topic, l)],
  ] as const;
  for (const [what, run] of steps) {
    const step = () => run(letter).then(() => true as const);
    try {
      if ((await untilAcknowledged(what, record, deps, signal, step, { recordFaults: !letter.pointerOnly })) === undefined) return false;
    } catch (err) {
      if (!(err instanceof RecordFaultError)) throw err;
      // Decided: a letter the record's bytes make unwritable becomes a pointer-only letter, never an
      // endless retry and never a silent skip. After a full send, only the audit row is pointer-only.
      letter = pointerOnly(letter, err);
      deps.log.error(
        { topic: record.topic, partition: record.partition, offset: record.offset, class: dl.class, reasonCode: dl.reasonCode, step: what },
        `${err.message}; publishing it with reason code ${POINTER_ONLY_REASON_CODE}`,
      );
      if ((await untilAcknowledged(what, record, deps, signal, step, { recordFaults: false })) === undefined) return false;
    }
  }
  deps.metrics.deadLetters.inc({ class: dl.class });
  return true;
}
