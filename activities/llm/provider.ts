// What the gateway needs from a model provider. Each provider maps one request shape to its own wire
// format; the gateway validates, limits, classifies and records, the same for all of them.

import type { ToolCall, ToolDeclaration } from '../../core/tool-calls';

/**
 * One message of a conversation. Agent loops add the assistant's tool calls and the tools' results
 * (`tool`, answering one call by its ID); each provider maps them to its own wire format.
 */
export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string; readonly isError?: boolean };

export interface ProviderRequest {
  readonly messages: ChatMessage[];
  /** Structured output: the answer must be an instance of this JSON schema. */
  readonly output:
    | { readonly kind: 'text' }
    | { readonly kind: 'json'; readonly name: string; readonly schema: Record<string, unknown> }
    /** The model must call this tool; its arguments are the answer. */
    | { readonly kind: 'tool'; readonly name: string; readonly description: string; readonly schema: Record<string, unknown> }
    /** An agent turn: the model may call any of these tools, or answer in text (its final answer). */
    | { readonly kind: 'tools'; readonly tools: readonly ToolDeclaration[] };
  readonly temperature?: number;
  readonly maxOutputTokens: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface ProviderAnswer {
  /** The text, the JSON text, or the tool call's arguments as JSON text. */
  readonly content: string;
  /** The tool calls of an agent turn (`tools` output); empty otherwise. */
  readonly toolCalls?: readonly ToolCall[];
  readonly model: string;
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number };
}

export interface ModelProvider {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  complete(request: ProviderRequest): Promise<ProviderAnswer>;
}
