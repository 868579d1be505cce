// What the gateway needs from a model provider. Each provider maps one request shape to its own wire
// format; the gateway validates, limits, classifies and records, the same for all of them.

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ProviderRequest {
  readonly messages: ChatMessage[];
  /** Structured output: the answer must be an instance of this JSON schema. */
  readonly output:
    | { readonly kind: 'text' }
    | { readonly kind: 'json'; readonly name: string; readonly schema: Record<string, unknown> }
    /** The model must call this tool; its arguments are the answer. */
    | { readonly kind: 'tool'; readonly name: string; readonly description: string; readonly schema: Record<string, unknown> };
  readonly temperature?: number;
  readonly maxOutputTokens: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface ProviderAnswer {
  /** The text, the JSON text, or the tool call's arguments as JSON text. */
  readonly content: string;
  readonly model: string;
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number };
}

export interface ModelProvider {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  complete(request: ProviderRequest): Promise<ProviderAnswer>;
}
