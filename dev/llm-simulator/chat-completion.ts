// The OpenAI Chat Completions response body (non-streaming), as the official client parses it: a
// content answer, or a function tool call with `finish_reason: 'tool_calls'`.
import { randomUUID } from 'node:crypto';
import type { Answer } from './model-call';

export interface ChatCompletionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: ChatCompletionToolCall[] };
    logprobs: null;
    finish_reason: 'stop' | 'tool_calls';
  }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  system_fingerprint: string;
}

// Lets anyone reading a recorded activity result see that the answer came from the simulator.
export const SIMULATOR_FINGERPRINT = 'llm-simulator';

// Random, not seeded: ids must differ between runs even when the answers repeat.
const compactUuid = (): string => randomUUID().replaceAll('-', '');

export function chatCompletionBody(fields: { model: string; answer: Answer; promptTokens: number; completionTokens: number }): ChatCompletionBody {
  const { answer } = fields;
  const message: ChatCompletionBody['choices'][number]['message'] =
    answer.kind === 'text'
      ? { role: 'assistant', content: answer.text, refusal: null }
      : {
          role: 'assistant',
          content: answer.preamble ?? null,
          refusal: null,
          tool_calls: [{ id: `call_sim_${compactUuid().slice(0, 24)}`, type: 'function', function: { name: answer.toolName, arguments: answer.arguments } }],
        };
  return {
    id: `chatcmpl-sim-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: fields.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.kind === 'text' ? 'stop' : 'tool_calls' }],
    usage: {
      prompt_tokens: fields.promptTokens,
      completion_tokens: fields.completionTokens,
      total_tokens: fields.promptTokens + fields.completionTokens,
    },
    system_fingerprint: SIMULATOR_FINGERPRINT,
  };
}
