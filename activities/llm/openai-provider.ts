// OpenAI-compatible Chat Completions: OpenAI, vLLM, Ollama, LM Studio, llama.cpp server, and the
// project's LLM simulator. The SDK's own retries are off: Temporal owns retrying, so every attempt shows.
import OpenAI from 'openai';
import type { ToolCall } from '../../core/tool-calls';
import type { ChatMessage, ModelProvider, ProviderAnswer, ProviderRequest } from './provider';

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** Agent messages in OpenAI's shape: tool calls on the assistant message, one `tool` message per result. */
export function toOpenAiMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return {
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
      };
    }
    return { role: m.role, content: m.content };
  });
}

function requestedOutput(output: ProviderRequest['output']) {
  switch (output.kind) {
    case 'json':
      return { response_format: { type: 'json_schema' as const, json_schema: { name: output.name, strict: true, schema: output.schema } } };
    case 'tool':
      return {
        tools: [{ type: 'function' as const, function: { name: output.name, description: output.description, parameters: output.schema } }],
        tool_choice: { type: 'function' as const, function: { name: output.name } },
      };
    case 'tools':
      // The model chooses: a tool call, several, or text (its final answer).
      return { tools: output.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })), tool_choice: 'auto' as const };
    default:
      return {};
  }
}

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
          messages: toOpenAiMessages(req.messages),
          temperature: req.temperature,
          max_completion_tokens: req.maxOutputTokens,
          ...requestedOutput(output),
        },
        { signal: req.signal, timeout: req.timeoutMs },
      );
      const message = response.choices[0]?.message;
      const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((c) =>
        c.type === 'function' && 'function' in c ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }] : []);
      const content = output.kind === 'tool' ? (toolCalls[0]?.arguments ?? '') : (message?.content ?? '');
      return {
        content,
        toolCalls: output.kind === 'tools' ? toolCalls : [],
        model: response.model ?? opts.model,
        usage: { promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 },
      };
    },
  };
}
