// The model gateway used by activities: an OpenAI-compatible Chat Completions endpoint (OpenAI, vLLM,
// Ollama, LM Studio, llama.cpp server, or the project's LLM simulator) chosen by configuration alone.
// The SDK's own retries are off: Temporal retries the activity, so every attempt is visible.
import OpenAI from 'openai';
import { z } from 'zod';
import { ModelOutputInvalidError } from '../../errors';

export interface ChatModelOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly model: string;
}

export interface JsonCompletion<T> {
  readonly value: T;
  readonly model: string;
  readonly usage: { promptTokens: number; completionTokens: number };
  readonly latencyMs: number;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export class ChatModel {
  private readonly client: OpenAI;

  constructor(readonly options: ChatModelOptions) {
    this.client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, maxRetries: 0 });
  }

  get model(): string {
    return this.options.model;
  }

  /** Asks for JSON that matches `schema` (as a JSON schema response format) and validates the answer. */
  async completeJson<S extends z.ZodType>(
    name: string,
    schema: S,
    messages: ChatMessage[],
    opts: { signal?: AbortSignal; timeoutMs?: number; temperature?: number } = {},
  ): Promise<JsonCompletion<z.infer<S>>> {
    const startedAt = Date.now();
    const response = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        temperature: opts.temperature,
        response_format: {
          type: 'json_schema',
          json_schema: { name, strict: true, schema: z.toJSONSchema(schema) as Record<string, unknown> },
        },
      },
      { signal: opts.signal, ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}) },
    );
    const content = response.choices[0]?.message?.content ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw new ModelOutputInvalidError(response.model ?? this.options.model, `not JSON (${(err as Error).message})`, content);
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) {
      throw new ModelOutputInvalidError(response.model ?? this.options.model, z.prettifyError(checked.error), content);
    }
    return {
      value: checked.data,
      model: response.model ?? this.options.model,
      usage: { promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 },
      latencyMs: Date.now() - startedAt,
    };
  }
}
