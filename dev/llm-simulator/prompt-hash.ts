// The identity of a prompt in the simulator's counters and fixtures: the SHA-256 of the messages
// as JSON. Tests compute the same hash from the messages they expect the agent to send and read
// how often that exact prompt reached the "model" (invariant 3: a replay never calls the model again).
import { createHash } from 'node:crypto';

export function promptHash(messages: unknown): string {
  return createHash('sha256').update(JSON.stringify(messages)).digest('hex');
}

/**
 * An Anthropic prompt as one message list: its `system` prompt first, as a `system` message. A
 * prompt written with string contents therefore hashes alike on the OpenAI and Anthropic routes,
 * and one fixture serves both.
 */
export function anthropicPromptMessages(system: unknown, messages: readonly unknown[]): unknown[] {
  return system === undefined ? [...messages] : [{ role: 'system', content: system }, ...messages];
}

/** The prompt hash of an Anthropic request body's `system` and `messages`. */
export function anthropicPromptHash(request: { system?: unknown; messages: readonly unknown[] }): string {
  return promptHash(anthropicPromptMessages(request.system, request.messages));
}
