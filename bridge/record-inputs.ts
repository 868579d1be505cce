// What each workflow type accepts as a record value. The bridge validates a record against its
// route's schema before it starts anything, so a workflow never receives input it cannot use.
import { z } from 'zod';
import type { Review } from '../workflows/tag-review';

export const reviewRecordSchema = z.object({
  reviewId: z.string().min(1).max(200),
  // Long reviews are fine: past the claim-check bound they travel by reference and are cut before the prompt.
  text: z.string().min(1).max(8 * 1024 * 1024),
  productId: z.string().max(200).optional(),
  rating: z.number().int().min(1).max(5).optional(),
});

// Keeps the schema and the workflow's input type in step: this line stops compiling when they drift.
const reviewSchemaMatchesWorkflow: (r: z.infer<typeof reviewRecordSchema>) => Review = (r) => r;
void reviewSchemaMatchesWorkflow;

export const conversationMessageSchema = z.object({
  text: z.string().min(1).max(20_000),
  author: z.string().max(200).optional(),
});

export const RECORD_INPUT_SCHEMAS: Record<string, z.ZodType> = {
  conversationAgent: conversationMessageSchema,
  tagReview: reviewRecordSchema,
};

// Travel requests for the bookTrip saga.
import type { TravelRequest } from '../workflows/book-trip';
export const travelRequestRecordSchema = z.object({
  requestId: z.string().min(1).max(200),
  traveler: z.string().min(1).max(200),
  request: z.string().min(1).max(4_000),
  cardToken: z.string().min(1).max(200),
  currency: z.string().length(3).optional(),
});
const travelRequestMatchesWorkflow: (r: z.infer<typeof travelRequestRecordSchema>) => TravelRequest = (r) => r;
void travelRequestMatchesWorkflow;
RECORD_INPUT_SCHEMAS.bookTrip = travelRequestRecordSchema;

// Support tickets for the escalateSupport agent.
import type { SupportTicket } from '../workflows/escalate-support';
export const supportTicketRecordSchema = z.object({
  ticketId: z.string().min(1).max(200),
  customer: z.string().max(200).optional(),
  question: z.string().min(1).max(8_000),
});
const supportTicketMatchesWorkflow: (r: z.infer<typeof supportTicketRecordSchema>) => SupportTicket = (r) => r;
void supportTicketMatchesWorkflow;
RECORD_INPUT_SCHEMAS.escalateSupport = supportTicketRecordSchema;
