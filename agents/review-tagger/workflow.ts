// Review tagger: review -> model tags (recorded in history) -> upsert into the index by review ID.
// The model's answer is an activity result, so a replay, a worker restart or a redelivered record
// never asks the model again for a step that completed.
import { ApplicationFailure, proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ReviewTaggerActivities } from './activities';
import { askModel, failureType } from '../../workflows/ask-model';
import { isClaimCheck, type ClaimCheckRef } from '../../core/claim-check';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { reviewTagsPrompt } from './prompts';
import type { Review } from './record';
import { FailureType } from '../../core/failure-types';
import type { AgentInput } from '../../core/run-input';
import { AGENT_STATUS, AgentStatus } from '../../workflows/search-attributes';
import { formatCoordinates } from '../../core/kafka-record';

export interface TagReviewResult {
  readonly reviewId: string;
  readonly tags: string[];
  readonly sentiment: string;
  readonly model: string;
  readonly tokens: number;
}

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

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
  const index = proxyActivities<ReviewTaggerActivities>({
    startToCloseTimeout: settings.effectTimeoutMs,
    retry: { initialInterval: '1s' },
    summary: `Upsert tags of review ${review.reviewId}`,
  });
  setCurrentDetails(`Tagging review ${review.reviewId} from ${formatCoordinates(source)}`);
  let answer;
  try {
    answer = await askModel('review_tags', reviewTagsPrompt(review), settings, `Ask the model for tags of review ${review.reviewId}`);
  } catch (err) {
    if (failureType(err) === FailureType.InvalidToolArguments) {
      // Hallucinated tool arguments are not retried: a human looks at the run.
      setStatus(AgentStatus.NeedsReview);
      setCurrentDetails(`Review ${review.reviewId}: the model called the tool with invalid arguments; needs a human review`);
      throw ApplicationFailure.create({ type: FailureType.NeedsReview, message: `review ${review.reviewId} needs a human review: ${(err as Error).message}`, nonRetryable: true, cause: err as Error });
    }
    setStatus(AgentStatus.Failed);
    throw err;
  }
  const { tags, sentiment } = answer.value;
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
    setStatus(AgentStatus.Failed);
    throw err;
  }
  setStatus(AgentStatus.Completed);
  const tokens = answer.usage.promptTokens + answer.usage.completionTokens;
  setCurrentDetails(`Review ${review.reviewId} tagged ${tags.join(', ')} (${sentiment}) by ${answer.model}, ${tokens} tokens`);
  return { reviewId: review.reviewId, tags, sentiment, model: answer.model, tokens };
}
