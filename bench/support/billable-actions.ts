// Temporal Cloud billable actions, counted from fetched histories by Temporal Cloud's published
// definition (docs.temporal.io/cloud/actions): a workflow started (client start or continue-as-new;
// a de-duplicated start is free), each activity attempt (started or retried), each heartbeat that
// reaches the server, a timer started, a search-attribute upsert, a signal (signal-with-start counts
// once), an update received by the worker (update-with-start: the update, plus the start when it
// starts the run), a child workflow (two), the local activities of one workflow task (one), a signal
// to another workflow. Heartbeats are not in history: each attempt is charged the most the SDK can
// send: none before the activity's first heartbeat call (known for the project's heartbeating
// activities, else at once), then one at that call and one per 80% of the heartbeat timeout (the
// SDK's throttle) after it: an upper bound.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** When an activity first calls heartbeat, by activity type, in ms after its start (as a function of the heartbeat timeout). */
const FIRST_HEARTBEAT_MS: Record<string, (heartbeatTimeoutMs: number) => number> = {
  // activities/llm/gateway.ts: every HEARTBEAT_EVERY_MS (2 s) while a call runs.
  callModel: () => 2_000,
  // activities/throughput/activities.ts: every third of the heartbeat timeout.
  processThroughputBatch: (h) => Math.floor(h / 3),
};

function heartbeatsAtMost(activityType: string, durationMs: number, heartbeatTimeoutMs: number): number {
  const first = FIRST_HEARTBEAT_MS[activityType]?.(heartbeatTimeoutMs) ?? 0;
  if (durationMs < first) return 0;
  return 1 + Math.floor((durationMs - first) / (0.8 * heartbeatTimeoutMs));
}

export interface ActionCount {
  readonly actions: number;
  readonly events: number;
  readonly byKind: Record<string, number>;
}

const ms = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => (d ? Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6) : 0);
const at = (e: HistoryEvent) => ms(e.eventTime as { seconds?: unknown; nanos?: number | null });

export function countActions(histories: HistoryEvent[][]): ActionCount {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => { if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n; };
  let events = 0;
  for (const history of histories) {
    events += history.length;
    const byId = new Map(history.map((e) => [Number(e.eventId), e]));
    let lastTask = -1;
    let chargedTask = -2;
    for (const e of history) {
      if (e.workflowExecutionStartedEventAttributes) add('workflowStarted');
      else if (e.activityTaskStartedEventAttributes) {
        const started = e.activityTaskStartedEventAttributes;
        add('activityAttempts', started.attempt ?? 1);
        const scheduled = byId.get(Number(started.scheduledEventId))?.activityTaskScheduledEventAttributes;
        const heartbeatMs = ms(scheduled?.heartbeatTimeout as { seconds?: unknown; nanos?: number | null });
        const closed = history.find((c) => Number(c.activityTaskCompletedEventAttributes?.startedEventId ?? c.activityTaskFailedEventAttributes?.startedEventId ?? c.activityTaskTimedOutEventAttributes?.startedEventId ?? c.activityTaskCanceledEventAttributes?.startedEventId ?? -1) === Number(e.eventId));
        if (heartbeatMs > 0 && closed) add('heartbeatsUpperBound', heartbeatsAtMost(scheduled?.activityType?.name ?? '', at(closed) - at(e), heartbeatMs) * (started.attempt ?? 1));
      } else if (e.timerStartedEventAttributes) add('timers');
      else if (e.upsertWorkflowSearchAttributesEventAttributes) add('searchAttributeUpserts');
      else if (e.workflowExecutionSignaledEventAttributes) add('signals');
      else if (e.workflowExecutionUpdateAcceptedEventAttributes) add('updates');
      else if (e.startChildWorkflowExecutionInitiatedEventAttributes) add('childWorkflows', 2);
      else if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) add('signals');
      else if (e.workflowExecutionOptionsUpdatedEventAttributes) add('optionsUpdates');
      else if (e.workflowTaskCompletedEventAttributes) lastTask = Number(e.eventId);
      // Markers follow the workflow task that recorded them: one action per task, however many.
      else if (e.markerRecordedEventAttributes && chargedTask !== lastTask) {
        add('localActivityTasks');
        chargedTask = lastTask;
      }
    }
  }
  return { actions: Object.values(byKind).reduce((a, b) => a + b, 0), events, byKind };
}
