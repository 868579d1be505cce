// Reprocessing (`kta reprocess`): re-drive chosen dead letters into new runs. Each re-drive's ID follows
// from the dead letter itself (plan.ts), so running it again finds the runs it started
// and starts nothing twice; --dry-run checks the same IDs against Temporal and predicts exactly that.
// A letter that cannot be re-driven is reported and counted, never the end of the loop.
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { KafkaRecord } from '../../bridge/route';
import type { Config } from '../../config';
import { AGENT_STATUS, AgentStatus, KAFKA_OFFSET, KAFKA_PARTITION, KAFKA_TOPIC } from '../../workflows/search-attributes';
import { openAuditKafka } from '../kafka-records';
import { planRedrive, type PlannedRedrive } from './plan';
import type { RedriveAction, ReprocessReport } from './report';

export interface ReprocessOptions {
  readonly topic: string;
  readonly class?: string;
  readonly fromOffset?: number;
  readonly toOffset?: number;
  readonly dryRun?: boolean;
  readonly maxRetries: number;
}

/** What a caller hears as each dead letter is decided (the command prints a line each). */
export type ReprocessProgress = (action: RedriveAction) => void;

/** Every record the dead-letter topic still retains, read with the operations' offset-range reader (no group of ours is touched). */
async function readAll(config: Config, topic: string): Promise<KafkaRecord[]> {
  const reader = await openAuditKafka({ ...config.kafka, clientId: `${config.kafka.clientId}-reprocess` });
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

/** Decides, and unless dry starts, the re-drive of every dead letter of `opts.topic` the filter keeps. */
export async function runReprocess(config: Config, opts: ReprocessOptions, progress: ReprocessProgress = () => undefined): Promise<ReprocessReport> {
  const records = await readAll(config, opts.topic);
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const actions: RedriveAction[] = [];
  const report = (action: RedriveAction) => {
    actions.push(action);
    progress(action);
  };
  // Two copies of one dead letter plan the same ID: the second is reported as such, in both modes.
  const planned = new Map<string, string>();
  try {
    for (const record of records) {
      const plan = planRedrive(record, opts.topic, config.routes, opts);
      if (!plan) continue;
      const { letter, original } = plan;
      if (plan.kind === 'skip') {
        report({ kind: 'skip', letter, original, reason: plan.reason });
        continue;
      }
      const firstLetter = planned.get(plan.workflowId);
      if (firstLetter !== undefined) {
        report({ kind: 'same-failure', letter, original, workflowId: plan.workflowId, firstLetter });
        continue;
      }
      planned.set(plan.workflowId, plan.letter);
      const isNew = opts.dryRun ? !(await exists(client, plan.workflowId)) : await start(client, plan);
      report({ kind: isNew ? 'start' : 'already-redriven', letter, original, workflowId: plan.workflowId, deadLetterClass: plan.deadLetterClass });
    }
  } finally {
    await connection.close();
  }
  const count = (...kinds: RedriveAction['kind'][]) => actions.filter((a) => kinds.includes(a.kind)).length;
  return {
    dryRun: opts.dryRun === true,
    deadLetters: actions.length,
    started: count('start'),
    alreadyRedriven: count('already-redriven', 'same-failure'),
    skipped: count('skip'),
    actions,
  };
}
