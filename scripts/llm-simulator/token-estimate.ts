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
