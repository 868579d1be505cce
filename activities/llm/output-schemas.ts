// The structured outputs agents ask models for, by task name. A workflow names the task; the gateway
// turns the zod schema into the provider's JSON schema and validates the answer against it.
import { z } from 'zod';

export const reviewTagsSchema = z.object({
  tags: z.array(z.string().min(1).max(40)).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});
export type ReviewTags = z.infer<typeof reviewTagsSchema>;

export const OUTPUT_SCHEMAS = {
  review_tags: { schema: reviewTagsSchema, description: 'Record the tags and the sentiment of one product review' },
} satisfies Record<string, { schema: z.ZodType; description: string }>;

export type OutputTask = keyof typeof OUTPUT_SCHEMAS;
export type OutputOf<T extends OutputTask> = z.infer<(typeof OUTPUT_SCHEMAS)[T]['schema']>;
