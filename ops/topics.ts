// Creating a Kafka topic with the client the project already uses, so a fix the doctor prints works on
// the local stack, which ships no Kafka shell scripts. A topic that exists already is left as it is.
import { Kafka, logLevel } from 'kafkajs';
import { connectKafkaAdmin } from '../bridge/route-topics';
import type { Config } from '../config';
import { kafkaClientOptions } from '../lib/kafka-client';

export interface TopicCreateOptions {
  readonly partitions: number;
  /** Unset: the broker's default (1 on the local stack). */
  readonly replicationFactor?: number;
}

export interface TopicCreated {
  readonly topic: string;
  /** False when the topic existed already (nothing changed). */
  readonly created: boolean;
  /** The partitions the topic has now. */
  readonly partitions: number;
}

export async function createTopic(kafkaConfig: Config['kafka'], topic: string, opts: TopicCreateOptions): Promise<TopicCreated> {
  const { brokers } = kafkaConfig;
  const admin = new Kafka({ ...kafkaClientOptions(kafkaConfig, 'topics'), logLevel: logLevel.NOTHING }).admin();
  await connectKafkaAdmin(admin, kafkaConfig);
  try {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: opts.partitions, ...(opts.replicationFactor ? { replicationFactor: opts.replicationFactor } : {}) }],
    });
    const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return { topic, created, partitions: found.partitions.length };
  } finally {
    await admin.disconnect();
  }
}
