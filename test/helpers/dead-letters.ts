// Reads a dead-letter topic from the beginning, as an operator's tool would.
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './unique';
import { waitFor } from './wait-for';

export interface DeadLetterRecord {
  class: string;
  reasonCode: string;
  reason: string;
  original: { topic: string; partition: number; offset: string; coordinates: string; key: string | null; value?: string; valuePointer?: string; valueBytes: number; headers: Record<string, string | null> };
  workflowId?: string;
  existing?: { workflowId: string; recordHash?: string };
}

export async function readDeadLetters(brokers: string[], topic: string, expected: number, timeoutMs = 120_000): Promise<DeadLetterRecord[]> {
  const kafka = new Kafka({ clientId: 'kta-test-dlq-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('dlq-reader'), sessionTimeout: 6000, heartbeatInterval: 1000 });
  const seen: DeadLetterRecord[] = [];
  // The bridge creates the dead-letter topic at start-up; wait for it rather than race it.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(() => admin.listTopics(), (topics) => topics.includes(topic), { timeoutMs: 60_000, message: `dead-letter topic ${topic} exists` });
  } finally {
    await admin.disconnect();
  }
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(JSON.parse(message.value!.toString('utf8')) as DeadLetterRecord); } });
    await waitFor(() => seen.length, (n) => n >= expected, { timeoutMs, message: `${expected} dead letters on ${topic}` });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
