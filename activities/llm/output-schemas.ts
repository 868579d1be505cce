// The structured outputs agents ask models for, by task name. A workflow names the task; the gateway
// turns the zod schema into the provider's JSON schema and validates the answer against it.
import { z } from 'zod';

export const reviewTagsSchema = z.object({
  tags: z.array(z.string().min(1).max(40)).min(1).max(5),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
});
export type ReviewTags = z.infer<typeof reviewTagsSchema>;

// Dates and airport codes are patterns, not zod's ISO formats: the formats compile to patterns with
// lookarounds that some structured-output backends (and the LLM simulator) refuse.
const airportCode = z.string().regex(/^[A-Z]{3}$/);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const tripPlanSchema = z.object({
  flight: z.object({ from: airportCode, to: airportCode, date: isoDay }),
  hotel: z.object({ city: z.string().min(1).max(80), checkIn: isoDay, nights: z.number().int().min(1).max(30) }),
});
export type TripPlan = z.infer<typeof tripPlanSchema>;

export const supportAnswerSchema = z.object({
  answer: z.string().min(1).max(2000),
  /** The model's own confidence, 0 to 1; below the route's threshold a human decides. */
  confidence: z.number().min(0).max(1),
});
export type SupportAnswer = z.infer<typeof supportAnswerSchema>;

export const conversationReplySchema = z.object({ reply: z.string().min(1).max(4000) });

export const deadLetterTriageSchema = z.object({
  class: z.enum(['REPROCESS', 'HUMAN_REVIEW', 'COMPENSATE']),
  why: z.string().min(1).max(500),
});

export const OUTPUT_SCHEMAS = {
  dead_letter_triage: { schema: deadLetterTriageSchema, description: 'Classify why an agent run failed: REPROCESS (transient, run it again), HUMAN_REVIEW (a person must look), COMPENSATE (an action was undone)' },
  conversation_reply: { schema: conversationReplySchema, description: 'Record the reply to the latest message of the conversation' },
  review_tags: { schema: reviewTagsSchema, description: 'Record the tags and the sentiment of one product review' },
  trip_plan: { schema: tripPlanSchema, description: 'Record the flight and the hotel that fulfil one travel request' },
  support_answer: { schema: supportAnswerSchema, description: 'Record the answer to one support ticket and how confident you are in it' },
} satisfies Record<string, { schema: z.ZodType; description: string }>;

export type OutputTask = keyof typeof OUTPUT_SCHEMAS;
export type OutputOf<T extends OutputTask> = z.infer<(typeof OUTPUT_SCHEMAS)[T]['schema']>;
