// The Kafka record as every layer sees it, and its coordinates. Pure: no client, no I/O.

/** Coordinates of one Kafka record, printed as `topic[partition]@offset`. */
export interface RecordCoordinates {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  readonly offset: string;
}

/** One record as the bridge read it (a repeated header keeps its first value). */
export interface KafkaRecord extends RecordCoordinates {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
  /** kafkajs delivers a header sent with no value as null. */
  readonly headers?: Record<string, Buffer | string | null | undefined>;
}

/** The one way coordinates are written in logs, messages and dead letters. */
export const formatCoordinates = (c: RecordCoordinates): string => `${c.topic}[${c.partition}]@${c.offset}`;
