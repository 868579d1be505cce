// `kta reprocess`: re-drive chosen dead letters into new runs. Each gets the ID of the original run
// plus `#retry-N` (the first N not taken), so it never collides with the first run and a second
// reprocess of the same dead letter is refused by Temporal like any duplicate.
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { openAuditKafka } from './audit-kafka';
import { deadLetterTopicFor } from '../bridge/dead-letter';
import { recordSpecs } from '../agents/record-specs';
import { recordHash } from '../bridge/record-hash';
import { retryWorkflowId, workflowIdFor } from '../core/workflow-id';
import { loadConfig } from '../config';
import { AGENT_STATUS, AgentStatus, KAFKA_OFFSET, KAFKA_PARTITION, KAFKA_TOPIC } from '../workflows/search-attributes';
import { formatCoordinates } from '../core/kafka-record';

export interface ReprocessOptions {
  readonly topic: string;
  readonly class?: string;
  readonly fromOffset?: number;
  readonly toOffset?: number;
  readonly dryRun?: boolean;
  readonly maxRetries: number;
}

interface DeadLetterValue {
  class: string;
  reason: string;
  original: { topic: string; partition: number; offset: string; key: string | null; value?: string; timestamp: string };
}

/** Every dead letter the topic still retains, read with the CLI's offset-range reader (no group of ours is touched). */
async function readAll(config: ReturnType<typeof loadConfig>, topic: string): Promise<DeadLetterValue[]> {
  const reader = await openAuditKafka(config.kafka.brokers, `${config.kafka.clientId}-reprocess`);
  const found: DeadLetterValue[] = [];
  try {
    const offsets = await reader.partitionOffsets(topic, config.kafka.groupId);
    await reader.readRanges(topic, offsets.map((p) => ({ partition: p.partition, from: p.earliest, to: p.end })), async (_partition, records) => {
      for (const r of records) found.push(JSON.parse(r.value!.toString('utf8')) as DeadLetterValue);
    });
  } finally {
    await reader.close();
  }
  return found;
}

export async function reprocessCommand(opts: ReprocessOptions): Promise<void> {
  const config = loadConfig();
  const letters = (await readAll(config, opts.topic)).filter((d) =>
    (!opts.class || d.class === opts.class) &&
    (opts.fromOffset === undefined || Number(d.original.offset) >= opts.fromOffset) &&
    (opts.toOffset === undefined || Number(d.original.offset) <= opts.toOffset));
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  let started = 0;
  try {
    for (const d of letters) {
      const o = d.original;
      const where = `${formatCoordinates(o)}`;
      const route = config.routes.find((r) => r.topic === o.topic && deadLetterTopicFor(r.topic, r.deadLetterTopic) === opts.topic);
      if (!route) throw new Error(`dead letter ${where} names topic ${o.topic}, which has no route with dead-letter topic ${opts.topic}; add the route to ROUTES`);
      if (o.value === undefined) {
        console.log(`skip ${where}: its value was too large to copy into the dead letter; re-produce it from kafka:${where}`);
        continue;
      }
      const raw = Buffer.from(o.value, 'base64');
      const parsed = recordSpecs().get(route.workflowType)!.schema.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) {
        console.log(`skip ${where}: still not a valid ${route.workflowType} input (${d.class}: ${d.reason.slice(0, 120)})`);
        continue;
      }
      const original = workflowIdFor(o.topic, o.partition, o.offset, route.idPrefix);
      const key = o.key === null ? null : Buffer.from(o.key, 'base64');
      for (let retry = 1; retry <= opts.maxRetries; retry++) {
        const workflowId = retryWorkflowId(original, retry);
        if (opts.dryRun) {
          console.log(`would start ${workflowId} (${d.class})`);
          break;
        }
        try {
          await client.workflow.start(route.workflowType, {
            workflowId,
            taskQueue: route.taskQueue,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            args: [{
              value: parsed.data,
              source: { topic: o.topic, partition: o.partition, offset: o.offset, key: key?.toString('utf8') ?? null, timestamp: o.timestamp, recordHash: recordHash(key, raw) },
              settings: route.workflow,
              deadLetterTopic: opts.topic,
              retry,
            }],
            typedSearchAttributes: [
              { key: KAFKA_TOPIC, value: o.topic },
              { key: KAFKA_PARTITION, value: o.partition },
              { key: KAFKA_OFFSET, value: Number(o.offset) },
              { key: AGENT_STATUS, value: AgentStatus.Running },
            ],
            memo: { reprocessOf: original, deadLetterClass: d.class },
            staticSummary: `${route.workflowType} re-driven (retry ${retry}) from dead letter ${where}`,
          });
          console.log(`started ${workflowId} from dead letter ${where} (${d.class})`);
          started++;
          break;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
    }
    console.log(JSON.stringify({ deadLetters: letters.length, started }));
  } finally {
    await connection.close();
  }
}
