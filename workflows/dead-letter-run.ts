// A run that fails for good becomes a dead letter, classified by why it failed. Deterministic: the
// class follows from the failure type alone (no model triage here), so a replay classifies the same.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { DeadLetterActivities, RunDeadLetterInput } from '../activities/dead-letter';
import type { AgentInput } from './record-source';

const HUMAN_REVIEW_TYPES = new Set(['NeedsReview', 'InvalidToolArgumentsError', 'ModelOutputInvalidError', 'InvalidReviewDecisionError']);
const COMPENSATE_TYPES = new Set(['Compensated', 'SagaCompensated']);

export function deadLetterClassOf(err: unknown): { class: RunDeadLetterInput['class']; reasonCode: string } {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  const type = failure instanceof ApplicationFailure ? failure.type ?? 'ApplicationFailure' : (failure as Error)?.name ?? 'Error';
  if (HUMAN_REVIEW_TYPES.has(type)) return { class: 'HUMAN_REVIEW', reasonCode: type };
  if (COMPENSATE_TYPES.has(type)) return { class: 'COMPENSATE', reasonCode: type };
  return { class: 'REPROCESS', reasonCode: type };
}

/** Publishes the run's dead letter (when the route has a dead-letter topic) and returns the error to rethrow. */
export async function deadLetterRun(input: AgentInput<unknown>, err: unknown): Promise<unknown> {
  if (!input.deadLetterTopic) return err;
  const { publishRunDeadLetter } = proxyActivities<DeadLetterActivities>({
    startToCloseTimeout: '30s',
    // Until done: a failed run must never vanish without its dead letter.
    retry: { initialInterval: '1s', maximumInterval: '30s' },
    summary: 'Publish this run\'s dead letter',
  });
  const cls = deadLetterClassOf(err);
  await publishRunDeadLetter({
    ...cls,
    reason: (err as Error)?.message ?? String(err),
    source: input.source,
    deadLetterTopic: input.deadLetterTopic,
    value: input.value,
  });
  return err;
}
