// Drives the LLM simulator as an agent loop would, over the official clients of both wire formats:
// sends the conversation with the tools offered (tool_choice auto), runs each tool call the model
// asks for with a local executor, sends the results back, and stops at a final text or after
// `maxTurns`. For the simulator's own tests; the product's loop is workflows/agent-loop.ts.
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { z } from 'zod';

export interface DriverTool {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodObject;
}

export interface DriverTurn {
  readonly toolCall: { name: string; arguments: string } | null;
  readonly text: string;
  readonly usage: { prompt: number; completion: number };
}

export type Executor = (name: string, args: string) => string;

export interface Conversation {
  readonly system: string;
  readonly user: string;
  readonly tools: readonly DriverTool[];
  readonly execute: Executor;
  readonly maxTurns: number;
}

export async function driveOpenAi(client: OpenAI, c: Conversation): Promise<DriverTurn[]> {
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'system', content: c.system }, { role: 'user', content: c.user }];
  const tools = c.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: z.toJSONSchema(t.schema) as Record<string, unknown> } }));
  const turns: DriverTurn[] = [];
  while (turns.length < c.maxTurns) {
    const response = await client.chat.completions.create({ model: 'sim', messages, tools, tool_choice: 'auto' });
    const message = response.choices[0].message;
    const call = message.tool_calls?.find((tc) => tc.type === 'function');
    const usage = { prompt: response.usage?.prompt_tokens ?? 0, completion: response.usage?.completion_tokens ?? 0 };
    if (!call || call.type !== 'function') {
      turns.push({ toolCall: null, text: message.content ?? '', usage });
      break;
    }
    turns.push({ toolCall: { name: call.function.name, arguments: call.function.arguments }, text: message.content ?? '', usage });
    messages.push({ role: 'assistant', content: message.content, tool_calls: [call] });
    messages.push({ role: 'tool', tool_call_id: call.id, content: c.execute(call.function.name, call.function.arguments) });
  }
  return turns;
}

export async function driveAnthropic(client: Anthropic, c: Conversation): Promise<DriverTurn[]> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: c.user }];
  const tools = c.tools.map((t) => ({ name: t.name, description: t.description, input_schema: z.toJSONSchema(t.schema) as Anthropic.Tool.InputSchema }));
  const turns: DriverTurn[] = [];
  while (turns.length < c.maxTurns) {
    const response = await client.messages.create({ model: 'sim', max_tokens: 1024, system: c.system, messages, tools, tool_choice: { type: 'auto' } });
    const use = response.content.find((b) => b.type === 'tool_use');
    const text = response.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const usage = { prompt: response.usage.input_tokens, completion: response.usage.output_tokens };
    if (!use || use.type !== 'tool_use') {
      turns.push({ toolCall: null, text, usage });
      break;
    }
    const args = JSON.stringify(use.input);
    turns.push({ toolCall: { name: use.name, arguments: args }, text, usage });
    messages.push({ role: 'assistant', content: response.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: c.execute(use.name, args) }] });
  }
  return turns;
}
