// OpenAI-compatible Chat Completions: OpenAI, vLLM, Ollama, LM Studio, llama.cpp server, and the
// project's LLM simulator. The SDK's own retries are off: Temporal owns retrying, so every attempt shows.
import OpenAI from 'openai';
import type { ModelProvider, ProviderAnswer, ProviderRequest } from './provider';

export function createOpenAiProvider(opts: { baseUrl: string; apiKey: string; model: string }): ModelProvider {
  const client = new OpenAI({ baseURL: opts.baseUrl, apiKey: opts.apiKey, maxRetries: 0 });
  return {
    provider: 'openai',
    model: opts.model,
    async complete(req: ProviderRequest): Promise<ProviderAnswer> {
      const { output } = req;
      const response = await client.chat.completions.create(
        {
          model: opts.model,
          messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
          temperature: req.temperature,
          max_completion_tokens: req.maxOutputTokens,
          ...(output.kind === 'json'
            ? { response_format: { type: 'json_schema' as const, json_schema: { name: output.name, strict: true, schema: output.schema } } }
            : {}),
          ...(output.kind === 'tool'
            ? {
                tools: [{ type: 'function' as const, function: { name: output.name, description: output.description, parameters: output.schema } }],
                tool_choice: { type: 'function' as const, function: { name: output.name } },
              }
            : {}),
        },
        { signal: req.signal, timeout: req.timeoutMs },
      );
      const message = response.choices[0]?.message;
      const toolCall = message?.tool_calls?.find((c) => c.type === 'function');
      const content = output.kind === 'tool' ? (toolCall && 'function' in toolCall ? toolCall.function.arguments : '') : (message?.content ?? '');
      return {
        content,
        model: response.model ?? opts.model,
        usage: { promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 },
      };
    },
  };
}
