// Reading a run's history in tests: which activities were scheduled, with which inputs, by whom.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

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

/**
 * Saves a run's history as `<dir>/first-run.json` when `dir` holds no history yet (a new agent's first
 * history, for the registry's replay suite); returns the file written, or undefined when one existed.
 */
export async function saveFirstHistory(dir: URL, client: Client, workflowId: string): Promise<string | undefined> {
  const path = fileURLToPath(dir);
  mkdirSync(path, { recursive: true });
  if (readdirSync(path).some((f) => f.endsWith('.json'))) return undefined;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const file = join(path, 'first-run.json');
  writeFileSync(file, `${historyToJSON(history)}\n`);
  return file;
}
