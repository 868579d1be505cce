// Token counts for the simulator's `usage`: characters / 4, the usual rule of thumb for English.
// Good enough for a simulator whose counts feed limiter and cost tests; never use it for a real model.
import type { ChatMessage } from './chat-request';

const CHARS_PER_TOKEN = 4;
// Chat formats wrap every message in a few tokens of role and separators.
const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) {
    return message.content.map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
  }
  return '';
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(messageText(message)), 0);
}

// Text of an Anthropic content block as far as tokens go: text, a tool call's input, a tool
// result's content (itself a string or blocks).
function anthropicBlockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (typeof block !== 'object' || block === null) return '';
  const { text, input, content } = block as { text?: unknown; input?: unknown; content?: unknown };
  if (typeof text === 'string') return text;
  if (input !== undefined) return JSON.stringify(input);
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map(anthropicBlockText).join('');
  return '';
}

/** Input tokens of an Anthropic Messages request: the system prompt and every message. */
export function estimateAnthropicInputTokens(system: unknown, messages: ReadonlyArray<{ content: unknown }>): number {
  const text = (content: unknown): string => (Array.isArray(content) ? content.map(anthropicBlockText).join('') : anthropicBlockText(content));
  const systemTokens = system === undefined ? 0 : MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(text(system));
  return messages.reduce((sum, message) => sum + MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(text(message.content)), systemTokens);
}
