// Reading a run's history in tests: which activities were scheduled, with which inputs, by whom.
import type { Client } from '@temporalio/client';

export interface ActivityAttempt {
  readonly activityType: string;
  readonly scheduledEventId: string;
  readonly input: unknown;
}

export async function scheduledActivities(client: Client, workflowId: string): Promise<ActivityAttempt[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    if (!a) return [];
    return [{
      activityType: a.activityType?.name ?? '',
      scheduledEventId: String(e.eventId),
      input: a.input?.payloads?.[0] ? converter.fromPayload(a.input.payloads[0]) : undefined,
    }];
  });
}

/** Identities of the workers that started activities of this run (from ActivityTaskStarted events). */
export async function activityWorkerIdentities(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes?.identity ? [e.activityTaskStartedEventAttributes.identity] : []));
}
