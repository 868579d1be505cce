// `kta topics create`: creates a Kafka topic (ops/topics.ts) and says what it did. Creating a topic
// that exists already is not an error: the command reports it and changes nothing.
import { loadConfig } from '../config';
import { createTopic, type TopicCreateOptions } from '../ops/topics';

export async function topicsCreateCommand(topic: string, opts: TopicCreateOptions): Promise<void> {
  const { kafka } = loadConfig();
  const { created, partitions } = await createTopic(kafka, topic, opts);
  const where = kafka.brokers.join(',');
  console.log(created
    ? `created topic ${topic} with ${partitions} partition${partitions === 1 ? '' : 's'} on ${where}`
    : `topic ${topic} exists already on ${where} (${partitions} partition${partitions === 1 ? '' : 's'}); nothing changed`);
}
