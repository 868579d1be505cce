// The trip saga's record: a travel request, validated by the bridge before a run starts.
import { z } from 'zod';

export const travelRequestRecordSchema = z.object({
  requestId: z.string().min(1).max(200),
  traveler: z.string().min(1).max(200),
  /** The traveller's words: "Paris to New York on 1 May, three nights near Central Park". */
  request: z.string().min(1).max(4_000),
  /** A token from the payment provider, never a card number. */
  cardToken: z.string().min(1).max(200),
  currency: z.string().length(3).optional(),
});

export type TravelRequest = z.infer<typeof travelRequestRecordSchema>;
