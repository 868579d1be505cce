// Dead letters, shared by the bridge and the workers: a record that cannot become a run (or a run that
// failed for good) is data, not a crash. The dead-letter record carries the original coordinates, key, headers and value (or a pointer
// to the value when it is too large to copy), the reason and a class; every classification is also
// written to the dead_letters audit table. A redelivered bad record may be dead-lettered twice
// (at least once, like Kafka itself); consumers dedupe by the `kta-original` header.
// Building a dead letter never fails on the record's bytes: any header value (null included) is
// encoded, and reasons are stripped of control characters (PostgreSQL refuses 0x00 in text).
import type { Pool } from 'pg';
import { formatCoordinates, type KafkaRecord } from '../core/kafka-record';
import { DeadLetterEncodingError } from '../errors';

export type DeadLetterClass = 'INVALID_INPUT' | 'OVERSIZED' | 'COLLISION' | 'REPROCESS' | 'HUMAN_REVIEW' | 'COMPENSATE';

/** The record a dead letter stands for: the bridge's own view of a Kafka record. */
export type OriginalRecord = KafkaRecord;

export interface DeadLetter {
  readonly class: DeadLetterClass;
  readonly reasonCode: string;
  readonly reason: string;
  readonly original: OriginalRecord;
  readonly workflowId?: string;
  /** For a collision: the run that already holds the ID. */
  readonly existing?: { workflowId: string; recordHash?: string };
  /** Carry the coordinates alone: no key, headers or value (the full letter could not be written). */
  readonly pointerOnly?: boolean;
}

/** Values larger than this travel as a pointer to their Kafka coordinates, not copied. */
export const DEAD_LETTER_VALUE_COPY_MAX_BYTES = 512 * 1024;
const REASON_MAX_CHARS = 4000;

export const deadLetterTopicFor = (topic: string, configured?: string) => configured ?? `${topic}.dlq`;

/** A reason fit for a log line and a text column: no control characters (0x00 above all), bounded. */
export const safeReason = (reason: string): string =>
  reason.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, REASON_MAX_CHARS);

const base64 = (v: Buffer | string | null | undefined): string | null =>
  v === null || v === undefined ? null : (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)).toString('base64');

function copiedBytes(o: OriginalRecord) {
  return {
    key: base64(o.key),
    headers: Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, base64(v)])),
  };
}

export function deadLetterMessage(dl: DeadLetter) {
  const o = dl.original;
  const coordinates = formatCoordinates(o);
  const copyValue = !dl.pointerOnly && o.value !== null && o.value.length <= DEAD_LETTER_VALUE_COPY_MAX_BYTES;
  let copied: ReturnType<typeof copiedBytes> | undefined;
  try {
    copied = dl.pointerOnly ? undefined : copiedBytes(o);
  } catch (err) {
    throw new DeadLetterEncodingError(o, { cause: err });
  }
  const value = {
    class: dl.class,
    reasonCode: dl.reasonCode,
    reason: safeReason(dl.reason),
    original: {
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      coordinates,
      key: copied?.key ?? null,
      headers: copied?.headers ?? {},
      timestamp: o.timestamp,
      valueBytes: o.value?.length ?? 0,
      ...(copyValue ? { value: o.value!.toString('base64') } : { valuePointer: `kafka:${coordinates}` }),
    },
    workflowId: dl.workflowId,
    existing: dl.existing,
    deadLetteredAt: new Date().toISOString(),
  };
  return {
    key: dl.pointerOnly ? null : o.key,
    value: JSON.stringify(value),
    headers: { 'kta-dead-letter-class': dl.class, 'kta-original': coordinates, 'kta-reason-code': dl.reasonCode },
  };
}

/**
 * Writes the audit row once: a retry (or a redelivery) that finds the row for the same record, class
 * and workflow adds none. (The table's UNIQUE constraint cannot see it when workflow_id is null.)
 */
export async function auditDeadLetter(pool: Pool, dl: DeadLetter, dlqTopic: string): Promise<void> {
  const o = dl.original;
  await pool.query(
    `INSERT INTO dead_letters (class, reason_code, reason, topic, partition, "offset", workflow_id, dlq_topic)
     SELECT $1::text, $2::text, $3::text, $4::text, $5::integer, $6::bigint, $7::text, $8::text
     WHERE NOT EXISTS (SELECT 1 FROM dead_letters
                       WHERE topic = $4 AND partition = $5 AND "offset" = $6 AND class = $1 AND workflow_id IS NOT DISTINCT FROM $7)
     ON CONFLICT DO NOTHING`,
    [dl.class, dl.reasonCode, safeReason(dl.reason), o.topic, o.partition, o.offset, dl.workflowId ?? null, dlqTopic],
  );
}
