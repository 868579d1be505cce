// A run that fails for good becomes a dead letter, classified by why it failed. Deterministic: the
// class follows from the failure type alone (no model triage here), so a replay classifies the same.
import { ActivityFailure, ApplicationFailure, ContinueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DeadLetterActivities, RunDeadLetterInput } from '../activities/dead-letter';
import type { GatewayActivities } from '../activities/llm/gateway';
import { HUMAN_REVIEW_FAILURE_TYPES } from '../core/failure-types';
import type { AgentInput } from '../core/run-input';
import { AGENT_STATUS, AgentStatus } from './search-attributes';

const HUMAN_REVIEW_TYPES = HUMAN_REVIEW_FAILURE_TYPES;
const COMPENSATE_TYPES = new Set(['Compensated', 'SagaCompensated']);

export function deadLetterClassOf(err: unknown): { class: RunDeadLetterInput['class']; reasonCode: string } {
  // A saga that undid its actions says so in AgentStatus (workflows/saga.ts), whatever error it rethrew.
  if (workflowInfo().typedSearchAttributes.get(AGENT_STATUS) === AgentStatus.Compensated) return { class: 'COMPENSATE', reasonCode: 'SagaCompensated' };
  const failure = err instanceof ActivityFailure ? err.cause : err;
  const type = failure instanceof ApplicationFailure ? failure.type ?? 'ApplicationFailure' : (failure as Error)?.name ?? 'Error';
  if (HUMAN_REVIEW_TYPES.has(type)) return { class: 'HUMAN_REVIEW', reasonCode: type };
  if (COMPENSATE_TYPES.has(type)) return { class: 'COMPENSATE', reasonCode: type };
  return { class: 'REPROCESS', reasonCode: type };
}

/** Publishes the run's dead letter (when the route has a dead-letter topic) and returns the error to rethrow. */
export async function deadLetterRun(input: AgentInput<unknown>, err: unknown): Promise<unknown> {
  // continueAsNew() throws to end the run: the workflow goes on in a new run, nothing failed.
  if (!input.deadLetterTopic || err instanceof ContinueAsNew) return err;
  const { publishRunDeadLetter } = proxyActivities<DeadLetterActivities>({
    startToCloseTimeout: '30s',
    // Until done: a failed run must never vanish without its dead letter.
    retry: { initialInterval: '1s', maximumInterval: '30s' },
    summary: 'Publish this run\'s dead letter',
  });
  const cls = input.settings.triageTimeoutMs ? await triage(input, err) : deadLetterClassOf(err);
  await publishRunDeadLetter({
    ...cls,
    reason: (err as Error)?.message ?? String(err),
    source: input.source,
    deadLetterTopic: input.deadLetterTopic,
    value: input.value,
  });
  return err;
}

/**
 * Optional model triage: one recorded call with a hard timeout and no retries. Whatever goes wrong
 * (timeout, provider error, invalid answer) falls back to HUMAN_REVIEW; COMPENSATE from the failure
 * type always wins (an undone action is a fact, not an opinion). Deterministic on replay: the answer
 * is an activity result in history.
 */
async function triage(input: AgentInput<unknown>, err: unknown): Promise<{ class: RunDeadLetterInput['class']; reasonCode: string }> {
  const byType = deadLetterClassOf(err);
  if (byType.class === 'COMPENSATE') return byType;
  const { callModel } = proxyActivities<GatewayActivities>({
    startToCloseTimeout: input.settings.triageTimeoutMs!,
    retry: { maximumAttempts: 1 },
    summary: 'Triage the failed run (hard timeout, falls back to HUMAN_REVIEW)',
  });
  try {
    const answer = await callModel({
      task: 'dead_letter_triage',
      output: 'json',
      attempt: 1,
      messages: [
        { role: 'system', content: 'You triage failed agent runs into REPROCESS, HUMAN_REVIEW or COMPENSATE.' },
        { role: 'user', content: `Failure type ${byType.reasonCode}: ${((err as Error)?.message ?? String(err)).slice(0, 2000)}` },
      ],
    });
    return { class: (answer.value as { class: RunDeadLetterInput['class'] }).class, reasonCode: `${byType.reasonCode} (triaged)` };
  } catch {
    return { class: 'HUMAN_REVIEW', reasonCode: `${byType.reasonCode} (triage failed)` };
  }
}
