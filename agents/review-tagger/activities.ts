// Activities of the review tagger: the index upsert. The model call goes through the gateway
// (activities/llm/gateway.ts). createReviewTaggerActivities(deps) injects the clients so tests swap them.
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { loadClaimCheck } from '../../activities/sinks/claim-checks';
import type { ClaimCheckRef } from '../../core/claim-check';
import type { RecordSource } from '../../core/run-input';
import { faultPoint } from '../../lib/fault';
import { reviewRecordSchema, type Review } from './record';
import { upsertReviewTagsRow } from './review-index';

import { failForGoodOnDataError } from '../../activities/sinks/sink-write';

/** A review longer than this is cut before it reaches a prompt (and the run's history). */
export const MAX_REVIEW_PROMPT_CHARS = 8_000;

export function createReviewTaggerActivities({ pool }: { pool: Pool }) {
  return {
    /** Resolves a claim-checked review: the stored value, validated, its text cut for the prompt. */
    async loadClaimCheckedReview(ref: ClaimCheckRef): Promise<Review & { textChars: number }> {
      const value = await loadClaimCheck(pool, ref);
      const review = reviewRecordSchema.parse(JSON.parse(value.toString('utf8')));
      return { ...review, text: review.text.slice(0, MAX_REVIEW_PROMPT_CHARS), textChars: review.text.length };
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
      // A value PostgreSQL refuses (a NUL in the review ID) fails for good: the run goes to a human.
      return failForGoodOnDataError(() => upsertReviewTagsRow(pool, { ...input, workflowId }));
    },
  };
}

export type ReviewTaggerActivities = ReturnType<typeof createReviewTaggerActivities>;
