// `kta reprocess`: re-drive chosen dead letters into new runs. Each re-drive's ID follows from the
// dead letter itself (cli/reprocess-plan.ts), so running the command again finds the runs it started
// and starts nothing twice; --dry-run checks the same IDs against Temporal and predicts exactly that.
// A letter that cannot be re-driven is reported and counted, never the end of the loop.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { openAuditKafka } from '../ops/kafka-records';
import { deadLetterTopicFor } from '../bridge/dead-letter';
import { recordSpecs } from '../agents/record-specs';
import { recordHash } from '../bridge/record-hash';
import { retryWorkflowId, workflowIdFor } from '../core/workflow-id';
import { loadConfig } from '../config';
import { AGENT_STATUS, AgentStatus, KAFKA_OFFSET, KAFKA_PARTITION, KAFKA_TOPIC } from '../workflows/search-attributes';
import { formatCoordinates } from '../core/kafka-record';
import type { KafkaRecord } from '../bridge/route';
import { planRedrive, type PlannedRedrive } from './reprocess-plan';

export interface ReprocessOptions {
  readonly topic: string;
  readonly class?: string;
  readonly fromOffset?: number;
  readonly toOffset?: number;
  readonly dryRun?: boolean;
  readonly maxRetries: number;
}

/** Every record the dead-letter topic still retains, read with the CLI's offset-range reader (no group of ours is touched). */
async function readAll(config: ReturnType<typeof loadConfig>, topic: string): Promise<KafkaRecord[]> {
  const reader = await openAuditKafka(config.kafka.brokers, `${config.kafka.clientId}-reprocess`);
  const found: KafkaRecord[] = [];
  try {
    const offsets = await reader.partitionOffsets(topic, config.kafka.groupId);
    await reader.readRanges(topic, offsets.map((p) => ({ partition: p.partition, from: p.earliest, to: p.end })), async (_partition, records) => {
      found.push(...records);
    });
  } finally {
    await reader.close();
  }
  return found;
}

async function exists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Starts the re-drive; false when a run with its ID exists already (REJECT_DUPLICATE: also a closed one). */
async function start(client: Client, p: PlannedRedrive): Promise<boolean> {
  try {
    await client.workflow.start(p.route.workflowType, {
      workflowId: p.workflowId,
      taskQueue: p.route.taskQueue,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [p.input],
      typedSearchAttributes: [
        { key: KAFKA_TOPIC, value: p.input.source.topic },
        { key: KAFKA_PARTITION, value: p.input.source.partition },
        { key: KAFKA_OFFSET, value: Number(p.input.source.offset) },
        { key: AGENT_STATUS, value: AgentStatus.Running },
      ],
      memo: { reprocessOf: p.failedWorkflowId, deadLetterClass: p.deadLetterClass, deadLetter: p.letter },
      staticSummary: `${p.route.workflowType} re-driven (retry ${p.retry}) from dead letter ${p.letter} of ${p.original}`,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

export async function reprocessCommand(opts: ReprocessOptions): Promise<void> {
  const config = loadConfig();
  const records = await readAll(config, opts.topic);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const counts = { deadLetters: 0, started: 0, alreadyRedriven: 0, skipped: 0 };
  // Two copies of one dead letter plan the same ID: the second is reported as such, in both modes.
  const planned = new Map<string, string>();
  try {
    for (const record of records) {
      const plan = planRedrive(record, opts.topic, config.routes, opts);
      if (!plan) continue;
      counts.deadLetters++;
      const of = plan.original ? ` (${plan.original})` : '';
      if (plan.kind === 'skip') {
        counts.skipped++;
        console.log(`skip ${plan.letter}${of}: ${plan.reason}`);
        continue;
      }
      const firstLetter = planned.get(plan.workflowId);
      if (firstLetter !== undefined) {
        counts.alreadyRedriven++;
        console.log(`already re-driven ${plan.workflowId} from dead letter ${plan.letter}${of}: dead letter ${firstLetter} is the same failure`);
        continue;
      }
      planned.set(plan.workflowId, plan.letter);
      const isNew = opts.dryRun ? !(await exists(client, plan.workflowId)) : await start(client, plan);
      if (!isNew) {
        counts.alreadyRedriven++;
        console.log(`already re-driven ${plan.workflowId} from dead letter ${plan.letter}${of} (${plan.deadLetterClass}); nothing started`);
        continue;
      }
      counts.started++;
      console.log(`${opts.dryRun ? 'would start' : 'started'} ${plan.workflowId} from dead letter ${plan.letter}${of} (${plan.deadLetterClass})`);
    }
    const { started, ...rest } = counts;
    console.log(JSON.stringify({ dryRun: opts.dryRun === true, ...rest, [opts.dryRun ? 'wouldStart' : 'started']: started }));
  } finally {
    await connection.close();
  }
}
