// Reads `tools` and `tool_choice` of an OpenAI Chat Completions request: which function tools are
// offered and which of them the answer must call. Only a named tool or `required` forces a call;
// under `auto` (the default) the simulated model answers in content, as it did before tools.
import { LlmSimulatorRequestError } from './errors';
import type { ToolSpec } from './model-call';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
// OpenAI's rule for function names.
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function invalid(param: string, message: string): LlmSimulatorRequestError {
  return new LlmSimulatorRequestError(message, { param, code: 'invalid_value' });
}

export function parseOpenAiTools(value: unknown): ToolSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('tools', "Invalid 'tools': expected an array of tools.");
  const names = new Set<string>();
  return value.map((tool: unknown, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool)) throw invalid(param, `Invalid '${param}': expected an object.`);
    if (tool.type !== 'function') {
      throw invalid(`${param}.type`, `Invalid '${param}.type': ${JSON.stringify(tool.type)}; the LLM simulator answers 'function' tools only.`);
    }
    const fn = tool.function;
    if (!isObject(fn)) throw new LlmSimulatorRequestError(`Missing required parameter: '${param}.function'.`, { param: `${param}.function`, code: 'missing_required_parameter' });
    if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
      throw invalid(`${param}.function.name`, `Invalid '${param}.function.name': ${JSON.stringify(fn.name)}; expected 1 to 64 letters, digits, '_' or '-'.`);
    }
    if (names.has(fn.name)) throw invalid('tools', `Invalid 'tools': the function name '${fn.name}' appears twice.`);
    names.add(fn.name);
    if (fn.parameters !== undefined && !isObject(fn.parameters)) {
      throw invalid(`${param}.function.parameters`, `Invalid '${param}.function.parameters': expected a JSON schema object.`);
    }
    return { name: fn.name, parameters: fn.parameters, schemaParam: `${param}.function.parameters` };
  });
}

/** The tools the answer must call one of: all of them for `required`, the named one, or none. */
export function parseOpenAiToolChoice(value: unknown, tools: ToolSpec[]): ToolSpec[] {
  if (value === undefined || value === null) return [];
  if (tools.length === 0) throw invalid('tool_choice', "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
  if (value === 'none' || value === 'auto') return [];
  if (value === 'required') return tools;
  if (isObject(value) && value.type === 'function' && isObject(value.function) && typeof value.function.name === 'string') {
    const name = value.function.name;
    const tool = tools.find((candidate) => candidate.name === name);
    if (!tool) throw invalid('tool_choice', `Invalid value for 'tool_choice': no function named '${name}' in 'tools'.`);
    return [tool];
  }
  throw invalid('tool_choice', `Invalid value for 'tool_choice': ${JSON.stringify(value)}; expected 'none', 'auto', 'required' or { type: 'function', function: { name } }.`);
}
