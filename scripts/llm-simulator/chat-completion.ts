// The OpenAI Chat Completions response body (non-streaming), as the official client parses it.
import { randomUUID } from 'node:crypto';

export interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: null;
    finish_reason: 'stop';
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  system_fingerprint: string;
}

// Lets anyone reading a recorded activity result see that the answer came from the simulator.
export const SIMULATOR_FINGERPRINT = 'llm-simulator';

export function chatCompletionBody(fields: { model: string; content: string; promptTokens: number; completionTokens: number }): ChatCompletionBody {
  return {
    // Random, not seeded: ids must differ between runs even when the answers repeat.
    id: `chatcmpl-sim-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: fields.model,
    choices: [{ index: 0, message: { role: 'assistant', content: fields.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: fields.promptTokens,
      completion_tokens: fields.completionTokens,
      total_tokens: fields.promptTokens + fields.completionTokens,
    },
    system_fingerprint: SIMULATOR_FINGERPRINT,
  };
}
