// What one run costs Temporal, read from its history: events, the server's state transitions
// (DescribeWorkflowExecution's stateTransitionCount) and billable Temporal Cloud actions.
// Actions are counted by Temporal Cloud's published definition,
// https://docs.temporal.io/cloud/actions (source: temporalio/documentation,
// docs/evaluate/temporal-cloud/actions.mdx):
// - workflow started: 1 (search attributes given at start are included);
// - activity started or retried: 1 per attempt (ActivityTaskStarted carries the attempt number; the
//   history writes one Started event for the last attempt);
// - local activities: all RecordMarker commands of one workflow task count as 1;
// - UpsertSearchAttributes: 1 per command (TemporalChangeVersion alone is exempt);
// - timer started, signal, update accepted: 1 each; child workflow initiated: 2.
// Not in history, so not counted here: queries, activity heartbeats that reach the server (the
// gateway heartbeats every 2 s during a call, so a 120 ms call sends none), workflow task heartbeats
// of a long local activity.
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';

// @temporalio/proto is CommonJS: its namespace is not visible as a named ESM export.
const E = proto.temporal.api.enums.v1.EventType;

export interface RunCost {
  readonly events: number;
  readonly actions: number;
  readonly stateTransitions: number | null;
  readonly eventTypes: Record<string, number>;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export function billableActions(events: HistoryEvent[]): number {
  let actions = 0;
  const markerTasks = new Set<string>();
  for (const e of events) {
    switch (e.eventType) {
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      case E.EVENT_TYPE_TIMER_STARTED:
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      case E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        actions += 1;
        break;
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        actions += 2;
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        actions += Math.max(1, e.activityTaskStartedEventAttributes?.attempt ?? 1);
        break;
      case E.EVENT_TYPE_MARKER_RECORDED:
        markerTasks.add(String(e.markerRecordedEventAttributes?.workflowTaskCompletedEventId ?? e.eventId));
        break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const keys = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (keys.some((k) => k !== 'TemporalChangeVersion')) actions += 1;
        break;
      }
    }
  }
  return actions + markerTasks.size;
}

const typeName = (t: number | null | undefined) => (E[t ?? 0] ?? String(t)).replace(/^EVENT_TYPE_/, '');

export async function runCost(client: Client, workflowId: string): Promise<RunCost> {
  const handle = client.workflow.getHandle(workflowId);
  const [history, described] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const events = history.events ?? [];
  const eventTypes: Record<string, number> = {};
  for (const e of events) eventTypes[typeName(e.eventType)] = (eventTypes[typeName(e.eventType)] ?? 0) + 1;
  const transitions = described.raw.workflowExecutionInfo?.stateTransitionCount;
  return { events: events.length, actions: billableActions(events), stateTransitions: transitions == null ? null : Number(transitions), eventTypes };
}
