// Reads an Anthropic Messages request (`POST /v1/messages`) into what the simulator needs,
// refusing what the Anthropic API itself refuses, in its wording (`messages: Field required`), so
// the gateway's Anthropic provider meets the same errors here as in production.
import type { IncomingHttpHeaders } from 'node:http';
import { LlmSimulatorRequestError } from './errors';
import { headerValue } from './http-io';
import type { ToolSpec } from './model-call';

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  /** A string or a list of content blocks (`text`, `image`, `tool_use`, `tool_result`, ...). */
  content: string | Array<Record<string, unknown>>;
}

export interface AnthropicRequest {
  model: string;
  maxTokens: number;
  /** A string or a list of text blocks; undefined when the request has none. */
  system: unknown;
  messages: AnthropicMessage[];
  tools: ToolSpec[];
  /** Not empty when `tool_choice` forces a call: the named tool (`tool`) or every tool (`any`). */
  forcedTools: ToolSpec[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(param: string, message: string): LlmSimulatorRequestError {
  return new LlmSimulatorRequestError(`${param}: ${message}`, { param, code: 'invalid_value' });
}

/**
 * The API refuses a request without credentials or version before reading it; so does the
 * simulator, which checks that they are sent, not what they say.
 */
export function checkAnthropicHeaders(headers: IncomingHttpHeaders): void {
  if (headerValue(headers, 'x-api-key') === undefined && headerValue(headers, 'authorization') === undefined) {
    throw new LlmSimulatorRequestError('x-api-key header is required', { status: 401, param: 'x-api-key' });
  }
  if (headerValue(headers, 'anthropic-version') === undefined) {
    throw new LlmSimulatorRequestError('anthropic-version: header is required', { param: 'anthropic-version' });
  }
}

function parseContent(content: unknown, param: string): AnthropicMessage['content'] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid(param, 'Input should be a valid string or a list of content blocks');
  content.forEach((block, index) => {
    if (!isObject(block) || typeof block.type !== 'string') throw invalid(`${param}.${index}`, "Input should be a content block with a string 'type'");
  });
  return content as Array<Record<string, unknown>>;
}

function parseMessages(value: unknown): AnthropicMessage[] {
  if (value === undefined) throw invalid('messages', 'Field required');
  if (!Array.isArray(value)) throw invalid('messages', 'Input should be a valid list');
  if (value.length === 0) throw invalid('messages', 'at least one message is required');
  return value.map((message: unknown, index) => {
    if (!isObject(message)) throw invalid(`messages.${index}`, 'Input should be a valid dictionary');
    if (message.role !== 'user' && message.role !== 'assistant') throw invalid(`messages.${index}.role`, "Input should be 'user' or 'assistant'");
    if (message.content === undefined) throw invalid(`messages.${index}.content`, 'Field required');
    return { role: message.role, content: parseContent(message.content, `messages.${index}.content`) };
  });
}

function parseTools(value: unknown): ToolSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('tools', 'Input should be a valid list');
  const names = new Set<string>();
  return value.map((tool: unknown, index) => {
    const param = `tools.${index}`;
    if (!isObject(tool)) throw invalid(param, 'Input should be a valid dictionary');
    // Server tools (web search, code execution) carry a versioned type; a simulator cannot run them.
    if (tool.type !== undefined && tool.type !== 'custom') throw invalid(`${param}.type`, `the LLM simulator answers custom tools only, not ${JSON.stringify(tool.type)}`);
    if (typeof tool.name !== 'string' || tool.name === '') throw invalid(`${param}.name`, 'Field required');
    if (names.has(tool.name)) throw invalid('tools', `Tool names must be unique; ${tool.name} appears twice`);
    names.add(tool.name);
    if (!isObject(tool.input_schema)) throw invalid(`${param}.input_schema`, 'Field required');
    if (tool.input_schema.type !== 'object') throw invalid(`${param}.input_schema.type`, "Input should be 'object'");
    return { name: tool.name, parameters: tool.input_schema, schemaParam: `${param}.input_schema` };
  });
}

function parseToolChoice(value: unknown, tools: ToolSpec[]): ToolSpec[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw invalid('tool_choice', 'Input should be a valid dictionary');
  if (tools.length === 0 && value.type !== 'none') throw invalid('tool_choice', 'tool_choice may only be specified while providing tools');
  switch (value.type) {
    case 'auto':
    case 'none':
      return [];
    case 'any':
      return tools;
    case 'tool': {
      const tool = tools.find((candidate) => candidate.name === value.name);
      if (!tool) throw invalid('tool_choice.name', `Tool ${JSON.stringify(value.name)} not found in tools`);
      return [tool];
    }
    default:
      throw invalid('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  }
}

export function parseAnthropicRequest(body: unknown): AnthropicRequest {
  if (!isObject(body)) throw new LlmSimulatorRequestError('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model', 'Field required');
  if (body.max_tokens === undefined) throw invalid('max_tokens', 'Field required');
  if (typeof body.max_tokens !== 'number' || !Number.isSafeInteger(body.max_tokens) || body.max_tokens < 1) {
    throw invalid('max_tokens', 'Input should be a whole number of at least 1');
  }
  if (body.stream === true) throw invalid('stream', "the LLM simulator does not stream; send 'stream': false (the default)");
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    throw invalid('system', 'Input should be a valid string or a list of text blocks');
  }
  const tools = parseTools(body.tools);
  return {
    model: body.model,
    maxTokens: body.max_tokens,
    system: body.system,
    messages: parseMessages(body.messages),
    tools,
    forcedTools: parseToolChoice(body.tool_choice, tools),
  };
}
