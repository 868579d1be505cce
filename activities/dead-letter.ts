// Run-side dead letters: a run that fails for good publishes one, classified REPROCESS (transient:
// re-drive it with `kta reprocess`), HUMAN_REVIEW (logic failure, invalid tool arguments) or
// COMPENSATE (an irreversible action was taken and undone). Same format and audit table as the
// bridge's dead letters (bridge/dead-letter.ts), keyed by the original coordinates.
import { Context } from '@temporalio/activity';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { kafkaClientOptions, type KafkaConnectionConfig } from '../lib/kafka-client';
import type { Pool } from 'pg';
import { auditDeadLetter, deadLetterMessage, type DeadLetterClass } from '../lib/dead-letter';
import type { RecordSource } from '../core/run-input';
import { formatCoordinates } from '../core/kafka-record';
import { printable } from '../core/printable';

export interface RunDeadLetterInput {
  /** COLLISION only from a throughput batch that meets another record's result at the same coordinates. */
  readonly class: Extract<DeadLetterClass, 'REPROCESS' | 'HUMAN_REVIEW' | 'COMPENSATE' | 'COLLISION'>;
  readonly reasonCode: string;
  readonly reason: string;
  readonly source: RecordSource;
  readonly deadLetterTopic: string;
  /** The run's input value, re-encoded as the record value so `kta reprocess` can re-drive it. */
  readonly value: unknown;
}

/**
 * The activities, and close(), which the worker calls in its finally: the producer opens with the
 * first dead letter and holds a socket to the broker, which would keep the process alive after the
 * worker stopped.
 */
export interface DeadLetterActivityDeps {
  readonly kafka: KafkaConnectionConfig;
  readonly pool: Pool;
  /** Told of each dead letter published (the worker's kta_run_dead_letters_total). */
  readonly onPublished?: (cls: RunDeadLetterInput['class']) => void;
}

export function createDeadLetterActivities({ kafka, pool, onPublished }: DeadLetterActivityDeps) {
  let producer: Promise<Producer> | undefined;
  const connect = () => {
    producer ??= (async () => {
      const p = new Kafka({ ...kafkaClientOptions(kafka, 'run-dead-letters'), logLevel: logLevel.WARN }).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await p.connect();
      return p;
    })().catch((err: unknown) => {
      producer = undefined;
      throw err;
    });
    return producer;
  };
  const activities = {
    async publishRunDeadLetter(input: RunDeadLetterInput): Promise<{ topic: string; coordinates: string }> {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      const s = input.source;
      const dl = {
        class: input.class,
        reasonCode: input.reasonCode,
        // The reason can quote a record's values; escaped, a NUL in one cannot break the audit row.
        reason: printable(input.reason, 4000),
        workflowId,
        original: {
          topic: s.topic,
          partition: s.partition,
          offset: s.offset,
          key: s.key === null ? null : Buffer.from(s.key),
          value: Buffer.from(JSON.stringify(input.value)),
          timestamp: s.timestamp,
        },
      };
      await (await connect()).send({ topic: input.deadLetterTopic, acks: -1, messages: [deadLetterMessage(dl)] });
      await auditDeadLetter(pool, dl, input.deadLetterTopic);
      onPublished?.(input.class);
      return { topic: input.deadLetterTopic, coordinates: `${formatCoordinates(s)}` };
    },
  };
  return {
    activities,
    async close(): Promise<void> {
      const opened = producer;
      producer = undefined;
      // A producer that never connected has nothing to close.
      const p = await opened?.catch(() => undefined);
      await p?.disconnect();
    },
  };
}

export type DeadLetterActivities = ReturnType<typeof createDeadLetterActivities>['activities'];
