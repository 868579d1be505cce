// One workflow start for one planned record start, with the duplicate check.
// REJECT_DUPLICATE keeps the ID taken after the first run closed too (the SDK's default would allow a
// second run); the dedup window is therefore the namespace retention.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { RecordCollisionError } from '../errors';
import { AgentStatus, AGENT_STATUS, KAFKA_KEY, KAFKA_OFFSET, KAFKA_PARTITION, KAFKA_TOPIC } from '../workflows/search-attributes';
import type { PlannedStart } from './route';
import { formatCoordinates } from '../core/kafka-record';

export type StartOutcome = 'started' | 'duplicate';

const START_DEADLINE_MS = 10_000;

export async function startPlanned(client: Client, start: PlannedStart): Promise<StartOutcome> {
  if (start.entityId) return signalEntity(client, start, start.entityId);
  const { source } = start.input;
  try {
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start(start.route.workflowType, {
        workflowId: start.workflowId,
        taskQueue: start.route.taskQueue,
        args: [start.input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        typedSearchAttributes: [
          { key: KAFKA_TOPIC, value: source.topic },
          { key: KAFKA_PARTITION, value: source.partition },
          { key: KAFKA_OFFSET, value: Number(source.offset) },
          ...(source.key !== null ? [{ key: KAFKA_KEY, value: source.key.slice(0, 200) }] : []),
          { key: AGENT_STATUS, value: AgentStatus.Running },
        ],
        memo: { recordHash: source.recordHash, kafka: { topic: source.topic, partition: source.partition, offset: source.offset, key: source.key } },
        staticSummary: `${start.route.workflowType} for Kafka record ${formatCoordinates(source)}${source.key !== null ? ` key ${source.key.slice(0, 60)}` : ''}`,
      }),
    );
    return 'started';
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // A duplicate must really be one: the existing run was started by a record with the same hash.
    const existing = await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.getHandle(start.workflowId).describe(),
    );
    const existingHash = (existing.memo as { recordHash?: string } | undefined)?.recordHash;
    if (existingHash !== source.recordHash) {
      throw new RecordCollisionError(source, start.workflowId, source.recordHash, existingHash);
    }
    return 'duplicate';
  }
}

/**
 * Per-key ordered routes cannot use REJECT_DUPLICATE: a closed entity run would refuse every later
 * record of its key. Signal-with-start with conflict policy USE_EXISTING reaches the open run or
 * starts one (reuse policy ALLOW_DUPLICATE lets a new run follow a closed one); the entity
 * de-duplicates by offset itself, against a high-water mark that survives its runs.
 */
async function signalEntity(client: Client, start: PlannedStart, entityId: string): Promise<StartOutcome> {
  const { source } = start.input;
  await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
    client.workflow.signalWithStart(start.route.workflowType, {
      workflowId: entityId,
      taskQueue: start.route.taskQueue,
      args: [{ entityId, settings: start.input.settings, maxTurnsPerRun: start.route.entity?.maxTurnsPerRun, idleMs: start.route.entity?.idleMs, deadLetterTopic: start.input.deadLetterTopic }],
      signal: 'record',
      signalArgs: [{ value: start.input.value, source }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: KAFKA_TOPIC, value: source.topic },
        { key: KAFKA_PARTITION, value: source.partition },
        ...(source.key !== null ? [{ key: KAFKA_KEY, value: source.key.slice(0, 200) }] : []),
        { key: AGENT_STATUS, value: AgentStatus.Running },
      ],
      staticSummary: `${start.route.workflowType} for key ${source.key ?? ''} of ${source.topic} (records in offset order)`,
    }),
  );
  return 'started';
}
