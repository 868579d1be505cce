// The review index: one tag set per review ID. Writes are upserts keyed by review ID, so a retried,
// replayed or redelivered write leaves exactly one row; `writes` counts how often it was written.
import type { Pool, PoolClient } from 'pg';
import type { RecordSource } from '../../core/run-input';
import { sinkWrite } from '../../activities/sinks/sink-write';

export interface ReviewTagsRow {
  readonly idempotencyKey: string;
  readonly reviewId: string;
  readonly tags: string[];
  readonly sentiment: string;
  readonly model: string;
  readonly workflowId: string;
  readonly source: RecordSource;
}

/** A value PostgreSQL cannot store (a NUL in the review ID, say) fails with SinkDataError (sink-write.ts). */
export async function upsertReviewTagsRow(pool: Pool | PoolClient, row: ReviewTagsRow): Promise<{ writes: number }> {
  const fields = { review_id: row.reviewId, tags: row.tags, sentiment: row.sentiment, model: row.model, workflow_id: row.workflowId, idempotency_key: row.idempotencyKey };
  const result = await sinkWrite('review_tags', `review_id ${JSON.stringify(row.reviewId)}`, fields, () => pool.query<{ writes: number }>(
    `INSERT INTO review_tags (review_id, tags, sentiment, model, workflow_id, idempotency_key, source_topic, source_partition, source_offset)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (review_id) DO UPDATE SET
       tags = EXCLUDED.tags, sentiment = EXCLUDED.sentiment, model = EXCLUDED.model,
       workflow_id = EXCLUDED.workflow_id, idempotency_key = EXCLUDED.idempotency_key,
       source_topic = EXCLUDED.source_topic, source_partition = EXCLUDED.source_partition,
       source_offset = EXCLUDED.source_offset, writes = review_tags.writes + 1, updated_at = now()
     RETURNING writes`,
    [
      row.reviewId, JSON.stringify(row.tags), row.sentiment, row.model, row.workflowId, row.idempotencyKey,
      row.source.topic, row.source.partition, row.source.offset,
    ],
  ));
  return { writes: result.rows[0].writes };
}
