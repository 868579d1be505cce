// Dead letters: a record that cannot become a run (or a run that failed for good) is data, not a
// crash. The dead-letter record carries the original coordinates, key, headers and value (or a pointer
// to the value when it is too large to copy), the reason and a class; every classification is also
// written to the dead_letters audit table. A redelivered bad record may be dead-lettered twice
// (at least once, like Kafka itself); consumers dedupe by the `kta-original` header.
import type { Pool } from 'pg';
import type { KafkaRecord } from '../core/kafka-record';
import { formatCoordinates } from '../core/kafka-record';

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
}

/** Values larger than this travel as a pointer to their Kafka coordinates, not copied. */
export const DEAD_LETTER_VALUE_COPY_MAX_BYTES = 512 * 1024;

export const deadLetterTopicFor = (topic: string, configured?: string) => configured ?? `${topic}.dlq`;

export function deadLetterMessage(dl: DeadLetter) {
  const o = dl.original;
  const coordinates = `${formatCoordinates(o)}`;
  const copyValue = o.value !== null && o.value.length <= DEAD_LETTER_VALUE_COPY_MAX_BYTES;
  const value = {
    class: dl.class,
    reasonCode: dl.reasonCode,
    reason: dl.reason,
    original: {
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      coordinates,
      key: o.key === null ? null : o.key.toString('base64'),
      headers: Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k, v === undefined ? null : Buffer.from(v).toString('base64')])),
      timestamp: o.timestamp,
      valueBytes: o.value?.length ?? 0,
      ...(copyValue ? { value: o.value!.toString('base64') } : { valuePointer: `kafka:${coordinates}` }),
    },
    workflowId: dl.workflowId,
    existing: dl.existing,
    deadLetteredAt: new Date().toISOString(),
  };
  return {
    key: o.key,
    value: JSON.stringify(value),
    headers: { 'kta-dead-letter-class': dl.class, 'kta-original': coordinates, 'kta-reason-code': dl.reasonCode },
  };
}

export async function auditDeadLetter(pool: Pool, dl: DeadLetter, dlqTopic: string): Promise<void> {
  const o = dl.original;
  await pool.query(
    `INSERT INTO dead_letters (class, reason_code, reason, topic, partition, "offset", workflow_id, dlq_topic)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [dl.class, dl.reasonCode, dl.reason.slice(0, 4000), o.topic, o.partition, o.offset, dl.workflowId ?? null, dlqTopic],
  );
}
