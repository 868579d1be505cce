// Activities of the review tagger: the index upsert. The model call goes through the gateway
// (activities/llm/gateway.ts). createReviewTaggerActivities(deps) injects the clients so tests swap them.
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { faultPoint } from '../lib/fault';
import type { RecordSource } from '../workflows/record-source';
import { upsertReviewTagsRow } from './sinks/review-index';

export function createReviewTaggerActivities({ pool }: { pool: Pool }) {
  return {
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
