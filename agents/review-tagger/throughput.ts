// The review tagger in throughput mode: the same prompt and the same index upsert by review ID as its
// workflow, called by the batch activity for each record (activities/throughput/).
import type { ThroughputHooks } from '../agent-definition';
import { MAX_REVIEW_PROMPT_CHARS } from './activities';
import type { ReviewTags } from './output';
import { reviewTagsPrompt } from './prompts';
import type { Review } from './record';
import { upsertReviewTagsRow } from './review-index';

export const reviewTaggerThroughput: ThroughputHooks = {
  task: 'review_tags',
  // A claim-checked review can be long: cut before the prompt, as the workflow's claim-check load does.
  prompt: (value) => {
    const review = value as Review;
    return reviewTagsPrompt({ ...review, text: review.text.slice(0, MAX_REVIEW_PROMPT_CHARS) });
  },
  async effect(db, { value, answer, model, source, idempotencyKey, workflowId }) {
    const { tags, sentiment } = answer as ReviewTags;
    await upsertReviewTagsRow(db, { idempotencyKey, reviewId: (value as Review).reviewId, tags, sentiment, model, workflowId, source });
  },
};
