// Review tagger: review -> model tags (recorded in history) -> upsert into the index by review ID.
// The model's answer is an activity result, so a replay, a worker restart or a redelivered record
// never asks the model again for a step that completed.
import { proxyActivities, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ReviewTaggerActivities } from '../activities/review-tagger';
import type { AgentInput } from './record-source';
import { AGENT_STATUS, AgentStatus } from './search-attributes';

export interface Review {
  readonly reviewId: string;
  readonly text: string;
  readonly productId?: string;
  readonly rating?: number;
}

export interface TagReviewResult {
  readonly reviewId: string;
  readonly tags: string[];
  readonly sentiment: string;
  readonly model: string;
}

export async function tagReview(input: AgentInput<Review>): Promise<TagReviewResult> {
  const { workflowId } = workflowInfo();
  const { value: review, source, settings } = input;
  const model = proxyActivities<ReviewTaggerActivities>({
    startToCloseTimeout: settings.modelTimeoutMs,
    retry: { initialInterval: '1s', maximumAttempts: settings.maxModelAttempts },
    summary: `Ask the model for tags of review ${review.reviewId}`,
  });
  const index = proxyActivities<ReviewTaggerActivities>({
    startToCloseTimeout: settings.effectTimeoutMs,
    retry: { initialInterval: '1s' },
    summary: `Upsert tags of review ${review.reviewId}`,
  });
  setCurrentDetails(`Tagging review ${review.reviewId} from ${source.topic}[${source.partition}]@${source.offset}`);
  try {
    const suggestion = await model.suggestReviewTags({ review });
    await index.upsertReviewTags({
      // The idempotency key names the run and the step: a retried or replayed upsert writes the same row.
      idempotencyKey: `${workflowId}/upsert-tags`,
      reviewId: review.reviewId,
      tags: suggestion.tags,
      sentiment: suggestion.sentiment,
      model: suggestion.model,
      source,
    });
    upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.Completed }]);
    setCurrentDetails(`Review ${review.reviewId} tagged ${suggestion.tags.join(', ')} (${suggestion.sentiment}) by ${suggestion.model}`);
    return { reviewId: review.reviewId, tags: suggestion.tags, sentiment: suggestion.sentiment, model: suggestion.model };
  } catch (err) {
    upsertSearchAttributes([{ key: AGENT_STATUS, value: AgentStatus.Failed }]);
    throw err;
  }
}
