// What the review tagger asks the model for: tags and a sentiment, validated by the gateway.
import { z } from 'zod';
import type { OutputSpec } from '../agent-definition';

export const reviewTagsSchema = z.object({
  tags: z.array(z.string().min(1).max(40)).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});
export type ReviewTags = z.infer<typeof reviewTagsSchema>;

export const REVIEW_TAGGER_OUTPUTS = {
  review_tags: { schema: reviewTagsSchema, description: 'Record the tags and the sentiment of one product review' },
} satisfies Record<string, OutputSpec>;

declare module '../../core/model-tasks' {
  interface ModelTasks {
    review_tags: ReviewTags;
  }
}
