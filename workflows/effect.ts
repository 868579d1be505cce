// The workflow side of idempotent effects: a step name becomes the key `workflowId/step` that the
// side-effect activity writes by (activities/sinks/effects.ts). Every retry of the activity, a
// replacement worker and a reset of the run derive the same key, so the effect happens once.
import { workflowInfo } from '@temporalio/workflow';

// Workflow module state is per run (the SDK isolates each run's globals), so this set lists the
// steps of the current run only.
const stepsTaken = new Set<string>();

/**
 * The idempotency key of one step of this run. Step names are part of the key: never rename a step
 * of a running workflow, or its next attempt would do the effect again under a new key.
 */
export function effectKey(step: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(step)) {
    throw new Error(`effect step name ${JSON.stringify(step)} is invalid: use letters, digits, '-', '_', '.', ':' (it becomes part of the key workflowId/step)`);
  }
  return `${workflowInfo().workflowId}/${step}`;
}

/**
 * Runs one side effect with its key: `effect('reserve-flight', (key) => booking.reserveFlight({ idempotencyKey: key, ... }))`.
 * A step name may be used once per run: two effects under one key would share one recorded result.
 */
export async function effect<T>(step: string, fn: (idempotencyKey: string) => Promise<T>): Promise<T> {
  const key = effectKey(step);
  if (stepsTaken.has(step)) {
    throw new Error(`effect step ${step} was already used in workflow ${workflowInfo().workflowId}; give each side effect of a run its own step name`);
  }
  stepsTaken.add(step);
  return fn(key);
}
