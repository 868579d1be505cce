// Reads an OpenAI Chat Completions request body into what the simulator needs, refusing what
// OpenAI itself would refuse, with OpenAI's error wording so clients react the same way.
import { LlmSimulatorRequestError } from './errors';
import type { ResponseFormat, ToolSpec } from './model-call';
import { parseOpenAiToolChoice, parseOpenAiTools } from './openai-tools';

export interface ChatMessage {
  role: string;
  /** A string, a list of content parts, or null (an assistant turn that only called tools). */
  content?: unknown;
  [field: string]: unknown;
}


export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  responseFormat: ResponseFormat;
  tools: ToolSpec[];
  /** Not empty when `tool_choice` forces a call: the named tool, or every tool for `required`. */
  forcedTools: ToolSpec[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function missing(param: string): LlmSimulatorRequestError {
  return new LlmSimulatorRequestError(`Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });
}

function invalid(param: string, message: string): LlmSimulatorRequestError {
  return new LlmSimulatorRequestError(message, { param, code: 'invalid_value' });
}

function parseMessages(value: unknown): ChatMessage[] {
  if (value === undefined) throw missing('messages');
  if (!Array.isArray(value)) throw invalid('messages', `Invalid type for 'messages': expected an array of messages, got ${typeof value}.`);
  if (value.length === 0) throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1.");
  value.forEach((message, index) => {
    if (!isObject(message) || typeof message.role !== 'string') {
      throw invalid(`messages[${index}]`, `Invalid 'messages[${index}]': expected an object with a string 'role'.`);
    }
  });
  return value as ChatMessage[];
}

function parseResponseFormat(value: unknown): ResponseFormat {
  if (value === undefined || value === null) return { type: 'text' };
  if (!isObject(value)) throw invalid('response_format', "Invalid 'response_format': expected an object.");
  if (value.type === 'text' || value.type === 'json_object') return { type: value.type };
  if (value.type !== 'json_schema') {
    throw invalid('response_format.type', `Invalid 'response_format.type': ${JSON.stringify(value.type)}; expected 'text', 'json_object' or 'json_schema'.`);
  }
  const spec = value.json_schema;
  if (!isObject(spec)) throw missing('response_format.json_schema');
  if (typeof spec.name !== 'string' || spec.name === '') throw missing('response_format.json_schema.name');
  // OpenAI lets the schema be left out (the answer is then any JSON object); `schema` stays undefined.
  if (spec.schema !== undefined && !isObject(spec.schema) && typeof spec.schema !== 'boolean') {
    throw invalid('response_format.json_schema.schema', "Invalid 'response_format.json_schema.schema': expected a JSON schema object.");
  }
  return { type: 'json_schema', name: spec.name, schema: spec.schema, strict: spec.strict === true };
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw new LlmSimulatorRequestError('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw new LlmSimulatorRequestError('you must provide a model parameter', { param: 'model' });
  if (body.stream === true) {
    throw invalid('stream', "The LLM simulator does not stream; send 'stream': false (the default).");
  }
  const tools = parseOpenAiTools(body.tools);
  return {
    model: body.model,
    messages: parseMessages(body.messages),
    responseFormat: parseResponseFormat(body.response_format),
    tools,
    forcedTools: parseOpenAiToolChoice(body.tool_choice, tools),
  };
}

export type { ResponseFormat };
