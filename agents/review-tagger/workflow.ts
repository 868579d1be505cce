// Review tagger: review -> model tags (recorded in history) -> upsert into the index by review ID.
// The model's answer is an activity result, so a replay, a worker restart or a redelivered record
// never asks the model again for a step that completed.
import { ApplicationFailure, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ReviewTaggerActivities } from './activities';
import { askModel, failureMessage, failureType } from '../../workflows/ask-model';
import { isClaimCheck, type ClaimCheckRef } from '../../core/claim-check';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { reviewTagsPrompt } from './prompts';
import type { Review } from './record';
import { FailureType } from '../../core/failure-types';
import type { AgentInput } from '../../core/run-input';
import { AGENT_STATUS, AgentStatus } from '../../workflows/search-attributes';
import { formatCoordinates } from '../../core/kafka-record';
import { printable } from '../../core/printable';

export interface TagReviewResult {
  readonly reviewId: string;
  readonly tags: string[];
  readonly sentiment: string;
  readonly model: string;
  readonly tokens: number;
}

/**
 * The patch that made the index upsert a local activity and dropped the AgentStatus=Completed upsert
 * (README "Cost model"); never rename it while runs started before or after it may be open.
 */
const LEAN_COMPLETION = 'local-upsert-no-completed-status';

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

/** Stops the run for a human: AgentStatus NeedsReview, and a HUMAN_REVIEW dead letter (dead-letter-run.ts). */
function needsReview(what: string, err: unknown): ApplicationFailure {
  setStatus(AgentStatus.NeedsReview);
  setCurrentDetails(`${what}; needs a human review`);
  return ApplicationFailure.create({ type: FailureType.NeedsReview, message: `${what}; needs a human review: ${failureMessage(err)}`, nonRetryable: true, cause: err as Error });
}

export async function tagReview(input: AgentInput<Review | ClaimCheckRef>): Promise<TagReviewResult> {
  try {
    return await tagReviewSteps(input);
  } catch (err) {
    throw await deadLetterRun(input, err);
  }
}

async function tagReviewSteps(input: AgentInput<Review | ClaimCheckRef>): Promise<TagReviewResult> {
  const { workflowId } = workflowInfo();
  const { source, settings } = input;
  const review = isClaimCheck(input.value)
    ? await proxyActivities<ReviewTaggerActivities>({
        startToCloseTimeout: settings.effectTimeoutMs,
        retry: { initialInterval: '1s', maximumAttempts: 5 },
        summary: `Load the claim-checked review (${input.value.$claimCheck.bytes} bytes)`,
      }).loadClaimCheckedReview(input.value)
    : input.value;
  // Record values are printed escaped: a NUL in a review ID must not reach a summary or a dead letter raw.
  const reviewId = printable(review.reviewId);
  const indexOptions = {
    startToCloseTimeout: settings.effectTimeoutMs,
    // No attempt limit: what still fails here is transient (PostgreSQL restarting, connections gone)
    // and is waited out rather than thrown away with the model's answer; a value PostgreSQL refuses
    // fails the activity for good (SinkDataError, activities/sinks/sink-write.ts).
    retry: { initialInterval: '1s', maximumInterval: '30s' },
    summary: `Upsert tags of review ${reviewId}`,
  };
  setCurrentDetails(`Tagging review ${reviewId} from ${formatCoordinates(source)}`);
  let answer;
  try {
    answer = await askModel('review_tags', reviewTagsPrompt(review), settings, `Ask the model for tags of review ${reviewId}`);
  } catch (err) {
    // Hallucinated tool arguments are not retried: a human looks at the run.
    if (failureType(err) === FailureType.InvalidToolArguments) throw needsReview(`Review ${reviewId}: the model called the tool with invalid arguments`, err);
    setStatus(AgentStatus.Failed);
    throw err;
  }
  const { tags, sentiment } = answer.value;
  // The upsert runs as a local activity (recorded all the same, as a marker): it is one short,
  // idempotent write by review ID, so it needs neither the task queue nor a workflow task of its
  // own. That saves an activity dispatch and a workflow task per run (README "Cost model"). If the
  // worker dies mid-upsert, the workflow task times out and the next worker writes the same row
  // again: the same at-least-once an activity retry gives.
  // Runs started before this change recorded a normal activity here and an AgentStatus=Completed
  // upsert at the end; `patched` keeps them replaying that way (histories/tag-review.json).
  const lean = patched(LEAN_COMPLETION);
  const index = lean ? proxyLocalActivities<ReviewTaggerActivities>(indexOptions) : proxyActivities<ReviewTaggerActivities>(indexOptions);
  try {
    await index.upsertReviewTags({
      // The idempotency key names the run and the step: a retried or replayed upsert writes the same row.
      idempotencyKey: `${workflowId}/upsert-tags`,
      reviewId: review.reviewId,
      tags,
      sentiment,
      model: answer.model,
      source,
    });
  } catch (err) {
    // The index refused a value for good (a NUL in the review ID): no retry can store it, a human decides.
    if (failureType(err) === FailureType.SinkData) throw needsReview(`Review ${reviewId}: the review index cannot store it`, err);
    setStatus(AgentStatus.Failed);
    throw err;
  }
  // A completed run keeps AgentStatus=Running from its start: ExecutionStatus says it completed, and
  // `kta status` counts it as Completed (ops/status/gather.ts). The upsert would be one billable
  // action of four per record; the failure paths above still set their status.
  if (!lean) setStatus(AgentStatus.Completed);
  const tokens = answer.usage.promptTokens + answer.usage.completionTokens;
  setCurrentDetails(`Review ${reviewId} tagged ${tags.join(', ')} (${sentiment}) by ${answer.model}, ${tokens} tokens`);
  return { reviewId: review.reviewId, tags, sentiment, model: answer.model, tokens };
}
