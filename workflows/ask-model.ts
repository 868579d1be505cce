// The agent step helper: ask the model through the gateway activity and re-ask, as a new recorded
// activity, when the answer does not fit the schema. Transient failures are Temporal's retries of one
// ask; invalid output is the workflow's decision, so every attempt is its own event in history.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CallModelInput, GatewayActivities, ModelCallResult } from '../activities/llm/gateway';
import type { ModelTask, ModelTasks } from '../core/model-tasks';
import type { ChatMessage } from '../activities/llm/provider';
import { FailureType } from '../core/failure-types';
import type { RunSettings } from '../core/run-input';

/** Re-asks move away from the temperature that produced invalid output. */
const REASK_TEMPERATURES = [undefined, 0.2, 0.7, 1.0];

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined;
}

/** What went wrong, from the activity's own failure (an ActivityFailure only says "Activity task failed"). */
export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return (cause as Error)?.message ?? String(cause);
}

export async function askModel<T extends ModelTask>(
  task: T,
  messages: ChatMessage[],
  settings: RunSettings,
  summary: string,
): Promise<ModelCallResult<ModelTasks[T]>> {
  let conversation = messages;
  for (let attempt = 1; ; attempt++) {
    const { callModel } = proxyActivities<GatewayActivities>({
      startToCloseTimeout: settings.modelTimeoutMs,
      // The gateway heartbeats every 2 s, also while it waits for the limiter or the provider.
      heartbeatTimeout: '15s',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: settings.transientRetryAttempts },
      summary: attempt === 1 ? summary : `${summary} (re-ask ${attempt} of ${settings.maxModelAttempts})`,
    });
    const input: CallModelInput = {
      task,
      messages: conversation,
      output: settings.modelOutput,
      attempt,
      temperature: REASK_TEMPERATURES[Math.min(attempt - 1, REASK_TEMPERATURES.length - 1)],
    };
    try {
      return (await callModel(input)) as ModelCallResult<ModelTasks[T]>;
    } catch (err) {
      if (failureType(err) !== FailureType.ModelOutputInvalid) throw err;
      if (attempt >= settings.maxModelAttempts) {
        throw ApplicationFailure.create({
          type: FailureType.ModelOutputInvalid,
          message: `the model's output for ${task} was invalid ${attempt} times in a row; giving up (maxModelAttempts ${settings.maxModelAttempts})`,
          nonRetryable: true,
          cause: err as Error,
        });
      }
      const problems = ((err as ActivityFailure).cause as ApplicationFailure).details?.[0] as { problems?: string } | undefined;
      conversation = [
        ...messages,
        { role: 'user', content: `Your previous answer did not match the required schema (${problems?.problems ?? 'invalid'}). Answer again with valid JSON only.` },
      ];
    }
  }
}
