// The identity of a prompt in the simulator's counters: the SHA-256 of the messages as JSON. Tests
// compute the same hash from the messages they expect the agent to send and read how often that
// exact prompt reached the "model" (invariant 3: a replay never calls the model again).
import { createHash } from 'node:crypto';

export function promptHash(messages: unknown): string {
  return createHash('sha256').update(JSON.stringify(messages)).digest('hex');
}
