// The consumer people write first when an LLM meets Kafka, as its own process (the rebalance bench
// spawns two in one group with `node --import tsx`). It calls the model inside the poll loop, one
// record after another, and tells its parent on the IPC channel what happened.
// `each-batch`: autoCommit off, no heartbeat inside the batch, one explicit commit after the batch.
// `each-message`: the same call per message; kafkajs heartbeats after every message; autoCommit off
// and an explicit commit of offset + 1 after each message.
// When kafkajs stops consuming for good the process exits, and naive-group.ts restarts it, as a
// process supervisor (Kubernetes, systemd) would.
// Nothing here is the project's code path: it is the baseline the bridge is measured against.
import { Kafka, logLevel } from 'kafkajs';
import OpenAI from 'openai';

export interface NaiveConsumerSettings {
  readonly mode: 'each-batch' | 'each-message';
  readonly brokers: string[];
  readonly groupId: string;
  readonly topic: string;
  readonly llmBaseUrl: string;
  readonly maxBytesPerPartition: number;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
}

export type NaiveEvent =
  | { type: 'joined'; memberId: string; partitions: number[] }
  | { type: 'batch'; partition: number; records: number; firstOffset: string }
  | { type: 'model-call-done' }
  | { type: 'committed'; partition: number; records: number; nextOffset: string }
  | { type: 'commit-failed'; partition: number; records: number; error: string }
  | { type: 'crash'; error: string; restart: boolean };

const report = (event: NaiveEvent) => process.send?.(event);

async function main(settings: NaiveConsumerSettings): Promise<void> {
  const llm = new OpenAI({ apiKey: 'simulator', baseURL: settings.llmBaseUrl, maxRetries: 0 });
  const tag = async (value: Buffer | null) => {
    await llm.chat.completions.create({
      model: 'llm-simulator',
      messages: [
        { role: 'system', content: 'You tag product reviews. Answer with JSON: {"tags": [...], "sentiment": "..."}.' },
        // The review (with its unique ID) is the prompt: every record's prompt is distinct.
        { role: 'user', content: value?.toString('utf8') ?? '' },
      ],
      response_format: { type: 'json_object' },
    });
    report({ type: 'model-call-done' });
  };

  const kafka = new Kafka({ clientId: `naive-${settings.mode}`, brokers: settings.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    maxBytesPerPartition: settings.maxBytesPerPartition,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
    report({ type: 'joined', memberId: payload.memberId, partitions: payload.memberAssignment[settings.topic] ?? [] }),
  );
  consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
    // A batch of only the transaction's commit marker reaches no handler; it is not a batch of work.
    if (payload.batchSize > 0) report({ type: 'batch', partition: payload.partition, records: payload.batchSize, firstOffset: payload.firstOffset });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    const event: NaiveEvent = { type: 'crash', error: payload.error.message, restart: payload.restart };
    if (payload.restart) return report(event);
    // kafkajs gives up on a non-retriable error (a commit from an evicted member is one) and leaves the
    // process idle; like any deployed consumer, this one then exits and its supervisor starts it again.
    if (process.send) process.send(event, () => process.exit(1));
    else process.exit(1);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: settings.topic, fromBeginning: true });

  const commitAfter = async (topic: string, partition: number, lastOffset: string, records: number) => {
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    try {
      await consumer.commitOffsets([{ topic, partition, offset: nextOffset }]);
      report({ type: 'committed', partition, records, nextOffset });
    } catch (err) {
      report({ type: 'commit-failed', partition, records, error: (err as Error).message });
      throw err; // what an uncaught commit error does in user code: kafkajs restarts the consumer
    }
  };

  if (settings.mode === 'each-batch') {
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) await tag(message.value);
        const last = batch.messages.at(-1);
        if (last) await commitAfter(batch.topic, batch.partition, last.offset, batch.messages.length);
      },
    });
  } else {
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        await tag(message.value);
        await commitAfter(topic, partition, message.offset, 1);
      },
    });
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as NaiveConsumerSettings).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
