// Anthropic Messages API. Structured output is a forced tool whose input schema is the JSON schema:
// the tool call's input is the answer. The SDK's own retries are off: Temporal owns retrying.
// This SDK version has no sampling temperature in its request type, so a re-ask's temperature is not sent.
import Anthropic from '@anthropic-ai/sdk';
import type { ModelProvider, ProviderAnswer, ProviderRequest } from './provider';

export function createAnthropicProvider(opts: { baseUrl: string; apiKey: string; model: string }): ModelProvider {
  const client = new Anthropic({ baseURL: opts.baseUrl, apiKey: opts.apiKey, maxRetries: 0 });
  return {
    provider: 'anthropic',
    model: opts.model,
    async complete(req: ProviderRequest): Promise<ProviderAnswer> {
      const { output } = req;
      const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
      const tool = output.kind === 'text' ? undefined : {
        name: output.name,
        description: output.kind === 'tool' ? output.description : `Record the answer as ${output.name}`,
        input_schema: output.schema as Anthropic.Tool.InputSchema,
      };
      const response = await client.messages.create(
        {
          model: opts.model,
          max_tokens: req.maxOutputTokens,
          ...(system ? { system } : {}),
          messages: req.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
          ...(tool ? { tools: [tool], tool_choice: { type: 'tool' as const, name: tool.name } } : {}),
        },
        { signal: req.signal, timeout: req.timeoutMs },
      );
      const toolUse = response.content.find((b) => b.type === 'tool_use');
      const text = response.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('');
      return {
        content: tool ? (toolUse ? JSON.stringify((toolUse as { input: unknown }).input) : '') : text,
        model: response.model ?? opts.model,
        usage: { promptTokens: response.usage?.input_tokens ?? 0, completionTokens: response.usage?.output_tokens ?? 0 },
      };
    },
  };
}
