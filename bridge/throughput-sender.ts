// One message to a throughput route's partition run: update-with-start. The update reaches the open
// run or starts one (conflict policy USE_EXISTING; reuse ALLOW_DUPLICATE lets a new run follow a closed
// one), and executeUpdateWithStart returns only once the update completed: its acceptance and its
// answer are events in the run's history, so the records are durably taken (or known as duplicates)
// before the bridge commits their offsets. The update may wait inside the run while the run's queue is
// full: that wait is the mode's backpressure (the bridge heartbeats meanwhile).
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Workflow } from '@temporalio/common';
import { RECORDS_UPDATE, type PartitionRunInput, type RecordsAccepted, type ThroughputRecord } from '../core/throughput';
import { AgentStatus, AGENT_STATUS, KAFKA_PARTITION, KAFKA_TOPIC } from '../workflows/search-attributes';
import type { PlannedStart } from './route';

/**
 * Names this bridge process in update IDs. A retry of the same chunk by this process joins its first
 * update (the server answers it from the first update's outcome, adding no action); a redelivery to
 * another process (a crash, a rebalance) is a new update, which the run answers with the duplicates.
 */
const SENDER = randomUUID().slice(0, 8);

/** The partition run's workflow type (workflows/throughput-partition.ts, exported by every bundle). */
export const THROUGHPUT_WORKFLOW_TYPE = 'throughputPartition';

export async function sendRecords(client: Client, starts: PlannedStart[], signal: AbortSignal): Promise<RecordsAccepted> {
  const { route, input, partitionWorkflowId } = starts[0];
  const { topic, partition } = input.source;
  const records: ThroughputRecord[] = starts.map((s) => ({ value: s.input.value, source: s.input.source }));
  const runInput: PartitionRunInput = {
    agent: route.workflowType,
    topic,
    partition,
    route: route.idPrefix ?? '',
    settings: input.settings,
    batch: route.batch,
    deadLetterTopic: input.deadLetterTopic!,
  };
  const startWorkflowOperation = new WithStartWorkflowOperation(THROUGHPUT_WORKFLOW_TYPE, {
    workflowId: partitionWorkflowId!,
    taskQueue: route.taskQueue,
    args: [runInput],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: KAFKA_TOPIC, value: topic },
      { key: KAFKA_PARTITION, value: partition },
      { key: AGENT_STATUS, value: AgentStatus.Running },
    ],
    staticSummary: `${route.workflowType} in throughput mode for ${topic}[${partition}] (records in batches; results in throughput_results)`,
  });
  const first = records[0].source.offset;
  const last = records[records.length - 1].source.offset;
  return client.withAbortSignal(signal, () =>
    client.workflow.executeUpdateWithStart<Workflow, RecordsAccepted, [ThroughputRecord[]]>(RECORDS_UPDATE, {
      args: [records],
      updateId: `records-${first}-${last}@${SENDER}`,
      startWorkflowOperation,
    }),
  );
}

/**
 * True when the update waited in a run that continued as new meanwhile (the server fails such an
 * accepted update with type AcceptedUpdateCompletedWorkflow): the run took none of its records, and
 * the same update goes to the new run at once.
 */
export const runMovedOn = (err: unknown): boolean =>
  err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'AcceptedUpdateCompletedWorkflow';
