// Activities of the review tagger. createReviewTaggerActivities(deps) injects the clients so tests
// and other workers can swap them.
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { z } from 'zod';
import { faultPoint } from '../lib/fault';
import type { RecordSource } from '../workflows/record-source';
import type { Review } from '../workflows/tag-review';
import type { ChatModel } from './llm/chat-model';
import { upsertReviewTagsRow } from './sinks/review-index';

export const reviewTagsSchema = z.object({
  tags: z.array(z.string().min(1).max(40)).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});

const SYSTEM_PROMPT =
  'You tag product reviews for a search index. Answer with 1 to 5 short lowercase topic tags and the overall sentiment.';

export interface ReviewTaggerDeps {
  readonly model: ChatModel;
  readonly pool: Pool;
}

export function createReviewTaggerActivities({ model, pool }: ReviewTaggerDeps) {
  return {
    async suggestReviewTags({ review }: { review: Review }) {
      const ctx = Context.current();
      const answer = await model.completeJson('review_tags', reviewTagsSchema, [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: `Review ${review.reviewId}${review.rating ? ` (${review.rating}/5)` : ''}:\n${review.text}` },
      ], { signal: ctx.cancellationSignal });
      return { ...answer.value, model: answer.model, usage: answer.usage, latencyMs: answer.latencyMs };
    },

    async upsertReviewTags(input: {
      idempotencyKey: string;
      reviewId: string;
      tags: string[];
      sentiment: string;
      model: string;
      source: RecordSource;
    }) {
      faultPoint('worker:before-upsert');
      const workflowId = Context.current().info.workflowExecution?.workflowId ?? input.idempotencyKey.split('/')[0];
      return upsertReviewTagsRow(pool, { ...input, workflowId });
    },
  };
}

export type ReviewTaggerActivities = ReturnType<typeof createReviewTaggerActivities>;
