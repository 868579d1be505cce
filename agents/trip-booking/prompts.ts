// The trip planner's prompt. Built in the workflow (pure, deterministic) so the history shows exactly
// what the model was asked.
import type { ChatMessage } from '../../activities/llm/provider';
import type { TravelRequest } from './record';

export const TRIP_PLAN_SYSTEM_PROMPT =
  'You plan trips. From the traveller\'s request choose one flight (IATA airport codes, date YYYY-MM-DD) and one hotel ' +
  '(city, check-in date YYYY-MM-DD, number of nights). Answer with the plan only.';

export function tripPlanPrompt(trip: TravelRequest): ChatMessage[] {
  return [
    { role: 'system', content: TRIP_PLAN_SYSTEM_PROMPT },
    { role: 'user', content: `Travel request ${trip.requestId} from ${trip.traveler}:\n${trip.request}` },
  ];
}
