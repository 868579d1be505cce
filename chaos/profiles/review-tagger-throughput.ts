// Chaos profile of the review tagger in throughput mode: the same reviews on a route with
// `mode: "throughput"` (one long-running run per partition, batches of 50). Evidence per offset is its
// `done` or `dead-letter` row in throughput_results (the primary key makes two impossible, so a record
// done twice shows as a second model call for one prompt, or as more done rows than index rows).
import type { ChaosProfile } from './profile';
import { reviewTaggerProfile } from './review-tagger';

export const reviewTaggerThroughputProfile: ChaosProfile = {
  workflowType: 'tagReview',
  name: 'tagReview-throughput',
  mode: 'throughput',
  weight: 2,
  // Throughput routes take no business key (start-up refuses one): no duplicates are planned.
  route: () => ({ mode: 'throughput', batch: { maxRecords: 50, concurrency: 10 } }),
  record: reviewTaggerProfile.record,
  async countEffects({ pool, topic }) {
    const { rows } = await pool.query<{ index_rows: string; done: string }>(
      `SELECT (SELECT count(*) FROM review_tags WHERE source_topic = $1)::text AS index_rows,
              (SELECT count(*) FROM throughput_results WHERE topic = $1 AND status = 'done')::text AS done`, [topic]);
    const indexRows = Number(rows[0].index_rows);
    const done = Number(rows[0].done);
    return { effects: indexRows, duplicates: Math.max(0, done - indexRows), compensations: 0, leaks: 0, note: `${indexRows} index rows for ${done} records done in batches` };
  },
};
