// The review tagger's record: what the bridge validates a `reviews` record against before it starts
// a run, and the type the workflow receives.
import { z } from 'zod';

export const reviewRecordSchema = z.object({
  reviewId: z.string().min(1).max(200),
  // Long reviews are fine: past the claim-check bound they travel by reference and are cut before the prompt.
  text: z.string().min(1).max(8 * 1024 * 1024),
  productId: z.string().max(200).optional(),
  rating: z.number().int().min(1).max(5).optional(),
});

export type Review = z.infer<typeof reviewRecordSchema>;
