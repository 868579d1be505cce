// What the trip planner asks the model for: one flight and one hotel.
import { z } from 'zod';
import type { OutputSpec } from '../agent-definition';

// Dates and airport codes are patterns, not zod's ISO formats: the formats compile to patterns with
// lookarounds that some structured-output backends (and the LLM simulator) refuse.
const airportCode = z.string().regex(/^[A-Z]{3}$/);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const tripPlanSchema = z.object({
  flight: z.object({ from: airportCode, to: airportCode, date: isoDay }),
  hotel: z.object({ city: z.string().min(1).max(80), checkIn: isoDay, nights: z.number().int().min(1).max(30) }),
});
export type TripPlan = z.infer<typeof tripPlanSchema>;

export const TRIP_BOOKING_OUTPUTS = {
  trip_plan: { schema: tripPlanSchema, description: 'Record the flight and the hotel that fulfil one travel request' },
} satisfies Record<string, OutputSpec>;

declare module '../../core/model-tasks' {
  interface ModelTasks {
    trip_plan: TripPlan;
  }
}
