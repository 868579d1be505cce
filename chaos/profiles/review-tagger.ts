// Chaos profile of the review tagger: reviews keyed by review ID, business-key dedup on reviewId (the
// generator re-sends earlier reviews), effects in the review index (one row per review).
import type { ChaosProfile } from './profile';

const PRODUCTS = ['kettle', 'headphones', 'backpack', 'desk lamp', 'e-reader'];
const REMARKS = ['the battery lasts', 'shipping was slow', 'it broke after a week', 'great value', 'the manual is confusing'];

export const reviewTaggerProfile: ChaosProfile = {
  workflowType: 'tagReview',
  weight: 3,
  businessKeyDuplicates: true,
  route: () => ({ businessKey: { jsonField: 'reviewId', horizonHours: 24 } }),
  record(n, rng) {
    const reviewId = `chaos-review-${n}`;
    const text = `Review ${n} of the ${rng.pick(PRODUCTS)}: ${rng.pick(REMARKS)}, and ${rng.pick(REMARKS)}.`;
    return { key: reviewId, value: JSON.stringify({ reviewId, text, rating: 1 + rng.int(5) }) };
  },
  async countEffects({ pool, topic, completedRuns }) {
    const { rows } = await pool.query<{ rows: string }>('SELECT count(*)::text AS rows FROM review_tags WHERE source_topic = $1', [topic]);
    const indexRows = Number(rows[0].rows);
    // One row per review ID by construction (the upsert's key); a second run for one review shows up as
    // more completed runs than rows: two tag sets written over each other.
    return { effects: indexRows, duplicates: Math.max(0, completedRuns - indexRows), compensations: 0, leaks: 0, note: `${indexRows} index rows for ${completedRuns} completed runs` };
  },
};
