// Tells a failure caused by the record itself from a failure of the system. A systemic failure
// (Temporal, Kafka or PostgreSQL down, a connection dropped, a failover) passes: the step is retried
// with backoff. A record's fault never passes: retrying it would stall its partition for good, so the
// bridge dead-letters the record instead. When in doubt a failure counts as systemic: a systemic
// failure taken for a record's fault would dead-letter good records, the worse mistake.
import { DeadLetterEncodingError } from '../errors';

/** PostgreSQL's class 22 (data exception: a value it cannot store, such as a 0x00 byte in text). */
const PG_DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;
/** program_limit_exceeded: a value too large for an index (a huge business key). */
const PG_PROGRAM_LIMIT_EXCEEDED = '54000';
/** Broker refusals of one record's size or shape, not of the broker's health. */
const KAFKA_RECORD_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);

const PG_CONDITIONS: Record<string, string> = {
  '22021': 'invalid byte sequence (a 0x00 byte or bad UTF-8 in text)',
  '22P05': 'untranslatable character',
  '22001': 'value too long for its column',
  '22P02': 'invalid text representation',
  '54000': 'value too large for an index',
};

/**
 * The record's fault in a few words (never the error's own message: PostgreSQL quotes the refused
 * value in some of its messages), or undefined for a systemic failure. Looks through `cause` chains,
 * since clients wrap the error they received.
 */
export function recordFaultOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DeadLetterEncodingError) return 'the dead letter could not be encoded';
    const { code, type } = e as { code?: unknown; type?: unknown };
    if (typeof code === 'string' && (PG_DATA_EXCEPTION.test(code) || code === PG_PROGRAM_LIMIT_EXCEEDED)) {
      return `PostgreSQL refused it with ${code} (${PG_CONDITIONS[code] ?? 'data exception'})`;
    }
    if (typeof type === 'string' && KAFKA_RECORD_REFUSALS.has(type)) return `the broker refused it with ${type}`;
  }
  return undefined;
}
