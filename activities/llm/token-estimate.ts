// Prompt size in tokens, estimated with a real BPE tokenizer (o200k_base, shipped inside js-tiktoken),
// so the limiter reserves what a call will really cost rather than characters / 4.
import { getEncoding, type Tiktoken } from 'js-tiktoken';
import type { ChatMessage } from './provider';

/** Chat formats add a few tokens of framing per message. */
const TOKENS_PER_MESSAGE = 4;
let encoder: Tiktoken | undefined;

export function estimatePromptTokens(messages: ChatMessage[], schema?: unknown): number {
  encoder ??= getEncoding('o200k_base');
  let total = 3;
  for (const m of messages) total += TOKENS_PER_MESSAGE + encoder.encode(m.content).length;
  if (schema) total += encoder.encode(JSON.stringify(schema)).length;
  return total;
}
