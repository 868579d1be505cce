// What each workflow type accepts as a record value. The bridge validates a record against its
// route's schema before it starts anything, so a workflow never receives input it cannot use.
import { z } from 'zod';
import type { Review } from '../workflows/tag-review';

export const reviewRecordSchema = z.object({
  reviewId: z.string().min(1).max(200),
  text: z.string().min(1).max(20_000),
  productId: z.string().max(200).optional(),
  rating: z.number().int().min(1).max(5).optional(),
});

// Keeps the schema and the workflow's input type in step: this line stops compiling when they drift.
const reviewSchemaMatchesWorkflow: (r: z.infer<typeof reviewRecordSchema>) => Review = (r) => r;
void reviewSchemaMatchesWorkflow;

export const RECORD_INPUT_SCHEMAS: Record<string, z.ZodType> = {
  tagReview: reviewRecordSchema,
};
