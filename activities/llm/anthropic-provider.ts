// Anthropic Messages API. Structured output is a forced tool whose input schema is the JSON schema:
// the tool call's input is the answer. An agent turn offers every tool and lets the model choose
// (tool_use blocks, or text for its final answer). The SDK's own retries are off: Temporal owns retrying.
// This SDK version has no sampling temperature in its request type, so a re-ask's temperature is not sent.
import Anthropic from '@anthropic-ai/sdk';
import type { ToolCall } from '../../core/tool-calls';
import type { ChatMessage, ModelProvider, ProviderAnswer, ProviderRequest } from './provider';

type Block = Anthropic.TextBlockParam | Anthropic.ToolUseBlockParam | Anthropic.ToolResultBlockParam;

/** A tool call's arguments as Anthropic's object input; text that is no JSON object is kept under `_raw`. */
function inputOf(call: ToolCall): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through: the model wrote no JSON object; the loop already told it so in the tool result.
  }
  return { _raw: call.arguments };
}

function blocksOf(m: Exclude<ChatMessage, { role: 'system' }>): Block[] {
  if (m.role === 'tool') return [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }];
  const text: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return [...text, ...m.toolCalls.map((c): Block => ({ type: 'tool_use', id: c.id, name: c.name, input: inputOf(c) }))];
  }
  return text;
}

/**
 * Agent messages in Anthropic's shape: tool results are user content blocks, and the results of one
 * turn (with any text after them) merge into one user message, as the API wants them.
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): Anthropic.MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const last = out[out.length - 1];
    if (last?.role === role && last.content.some((b) => b.type === 'tool_result')) last.content.push(...blocksOf(m));
    else out.push({ role, content: blocksOf(m) });
  }
  // Plain text turns stay strings, as they were before tools: the same prompt hashes alike.
  return out.map((m) => (m.content.length === 1 && m.content[0].type === 'text' ? { role: m.role, content: m.content[0].text } : m));
}

export function createAnthropicProvider(opts: { baseUrl: string; apiKey: string; model: string }): ModelProvider {
  const client = new Anthropic({ baseURL: opts.baseUrl, apiKey: opts.apiKey, maxRetries: 0 });
  return {
    provider: 'anthropic',
    model: opts.model,
    async complete(req: ProviderRequest): Promise<ProviderAnswer> {
      const { output } = req;
      const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
      const forced = output.kind === 'json' || output.kind === 'tool' ? {
        name: output.name,
        description: output.kind === 'tool' ? output.description : `Record the answer as ${output.name}`,
        input_schema: output.schema as Anthropic.Tool.InputSchema,
      } : undefined;
      const tools = forced
        ? { tools: [forced], tool_choice: { type: 'tool' as const, name: forced.name } }
        : output.kind === 'tools'
          ? { tools: output.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Anthropic.Tool.InputSchema })), tool_choice: { type: 'auto' as const } }
          : {};
      const response = await client.messages.create(
        {
          model: opts.model,
          max_tokens: req.maxOutputTokens,
          ...(system ? { system } : {}),
          messages: toAnthropicMessages(req.messages),
          ...tools,
        },
        { signal: req.signal, timeout: req.timeoutMs },
      );
      const toolCalls: ToolCall[] = response.content.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, name: b.name, arguments: JSON.stringify(b.input) }] : []));
      const text = response.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('');
      return {
        content: forced ? (toolCalls[0]?.arguments ?? '') : text,
        toolCalls: output.kind === 'tools' ? toolCalls : [],
        model: response.model ?? opts.model,
        usage: { promptTokens: response.usage?.input_tokens ?? 0, completionTokens: response.usage?.output_tokens ?? 0 },
      };
    },
  };
}
