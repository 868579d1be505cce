// The Anthropic Messages response body (non-streaming), as the official SDK parses it: a text
// block, or a tool_use block with `stop_reason: 'tool_use'`.
import { randomUUID } from 'node:crypto';
import type { Answer } from './model-call';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessageBody {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: 'end_turn' | 'tool_use';
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number };
}

// Random, not seeded: ids must differ between runs even when the answers repeat.
const compactUuid = (): string => randomUUID().replaceAll('-', '');

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A tool_use input is a JSON object on this wire; arguments a fault made unparseable (or not an
 * object) can only be sent as text, like a model that wrote JSON instead of calling the tool.
 */
export function anthropicDeliverable(answer: Answer): Answer {
  return answer.kind === 'tool-call' && parsedObject(answer.arguments) === undefined ? { kind: 'text', text: answer.arguments } : answer;
}

export function anthropicMessageBody(fields: { model: string; answer: Answer; inputTokens: number; outputTokens: number }): AnthropicMessageBody {
  const answer = anthropicDeliverable(fields.answer);
  const content: AnthropicContentBlock[] =
    answer.kind === 'tool-call'
      ? [
          ...(answer.preamble ? [{ type: 'text' as const, text: answer.preamble }] : []),
          { type: 'tool_use', id: `toolu_sim_${compactUuid().slice(0, 24)}`, name: answer.toolName, input: parsedObject(answer.arguments) ?? {} },
        ]
      : [{ type: 'text', text: answer.text }];
  return {
    id: `msg_sim_${compactUuid().slice(0, 24)}`,
    type: 'message',
    role: 'assistant',
    model: fields.model,
    content,
    stop_reason: answer.kind === 'tool-call' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: fields.inputTokens, output_tokens: fields.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}
