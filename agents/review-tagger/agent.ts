// The review tagger: a review -> model tags (recorded) -> one row per review ID in the index.
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { createReviewTaggerActivities } from './activities';
import { REVIEW_TAGGER_OUTPUTS } from './output';
import { reviewRecordSchema } from './record';
import { REVIEW_TAGGER_TABLES } from './tables';
import { reviewTaggerThroughput } from './throughput';

export const reviewTagger = defineAgent({
  workflowType: 'tagReview',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: reviewRecordSchema,
  takesClaimChecks: true,
  outputs: REVIEW_TAGGER_OUTPUTS,
  createActivities: ({ pool }) => createReviewTaggerActivities({ pool }),
  shadow: {
    loadClaimCheckedReview: { keep: 'reads the claim-checked value the bridge stored; writes nothing' },
    upsertReviewTags: { stub: 'writes the review index (review_tags)', answer: () => ({ writes: 1 }) },
  },
  tables: REVIEW_TAGGER_TABLES,
  throughput: reviewTaggerThroughput,
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
