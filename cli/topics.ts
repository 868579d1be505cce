// `kta topics create`: creates a Kafka topic with the client the project already uses, so a fix the
// doctor prints works on the local stack, which ships no Kafka shell scripts. Creating a topic that
// exists already is not an error: the command reports it and changes nothing.
import { Kafka, logLevel } from 'kafkajs';
import { connectKafkaAdmin } from '../bridge/route-topics';
import { loadConfig } from '../config';

export interface TopicCreateOptions {
  readonly partitions: number;
  /** Unset: the broker's default (1 on the local stack). */
  readonly replicationFactor?: number;
}

export async function topicsCreateCommand(topic: string, opts: TopicCreateOptions): Promise<void> {
  const { kafka: k } = loadConfig();
  const admin = new Kafka({ clientId: `${k.clientId}-topics`, brokers: k.brokers, logLevel: logLevel.NOTHING }).admin();
  await connectKafkaAdmin(admin, k.brokers);
  try {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: opts.partitions, ...(opts.replicationFactor ? { replicationFactor: opts.replicationFactor } : {}) }],
    });
    const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitions = found.partitions.length;
    console.log(created
      ? `created topic ${topic} with ${partitions} partition${partitions === 1 ? '' : 's'} on ${k.brokers.join(',')}`
      : `topic ${topic} exists already on ${k.brokers.join(',')} (${partitions} partition${partitions === 1 ? '' : 's'}); nothing changed`);
  } finally {
    await admin.disconnect();
  }
}
