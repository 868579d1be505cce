// What the simulated model says, independent of any provider's wire format: a sentence for plain
// chat, a JSON text valid against the requested schema for structured output, and a call with
// schema-valid arguments when the request forces a tool. The wire formats only wrap it.
import type { ResponseFormat } from './model-call';
import { LlmSimulatorRequestError, UnsatisfiableSchemaError } from './errors';
import { jsonSchemaInstance } from './json-schema-instance';
import type { Answer, AnswerPlan, ToolSpec } from './model-call';
import type { Rng } from './prng';
import { reviewSentence } from './review-text';

// The shape of an answer when JSON is asked for without a schema (`json_object`, or `json_schema`
// with the schema left out): what a review agent plausibly returns.
export const FREE_JSON_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 4 },
    sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
  },
  required: ['summary', 'tags', 'sentiment'],
} as const;

// A tool declared without parameters takes none.
const NO_PARAMETERS = { type: 'object', properties: {} } as const;

export const FORMAT_SCHEMA_PARAM = 'response_format.json_schema.schema';

/** The JSON schema a content answer follows; plain text answers are judged against the free shape. */
export function contentSchema(format: ResponseFormat): unknown {
  return format.type === 'json_schema' ? format.schema ?? FREE_JSON_ANSWER_SCHEMA : FREE_JSON_ANSWER_SCHEMA;
}

export function toolSchema(tool: ToolSpec): unknown {
  return tool.parameters ?? NO_PARAMETERS;
}

/** An instance of a schema from the request; an impossible schema is the request's fault: a 400 naming it. */
export function requestSchemaInstance(schema: unknown, schemaParam: string, rng: Rng): unknown {
  try {
    return jsonSchemaInstance(schema, rng);
  } catch (error) {
    if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    throw new LlmSimulatorRequestError(`Invalid '${schemaParam}': ${error.message}.`, { param: schemaParam, code: 'invalid_value', cause: error });
  }
}

/** The assistant message's content for one call; throws UnsatisfiableSchemaError for impossible schemas. */
export function composeAnswer(format: ResponseFormat, rng: Rng): string {
  switch (format.type) {
    case 'text':
      return reviewSentence(rng);
    case 'json_object':
      return JSON.stringify(jsonSchemaInstance(FREE_JSON_ANSWER_SCHEMA, rng));
    case 'json_schema':
      return JSON.stringify(jsonSchemaInstance(format.schema ?? FREE_JSON_ANSWER_SCHEMA, rng));
  }
}

/** One of `tools` (no draw when there is only one), the way a model picks under `required`. */
export function pickTool(tools: readonly ToolSpec[], rng: Rng): ToolSpec {
  return tools.length === 1 ? tools[0] : rng.pick(tools);
}

/** A clean answer to the plan: a tool call when one is forced, else content. 400 for impossible schemas. */
export function composePlannedAnswer(plan: AnswerPlan, rng: Rng): Answer {
  if (plan.forcedTools.length > 0) {
    const tool = pickTool(plan.forcedTools, rng);
    return { kind: 'tool-call', toolName: tool.name, arguments: JSON.stringify(requestSchemaInstance(toolSchema(tool), tool.schemaParam, rng)) };
  }
  try {
    return { kind: 'text', text: composeAnswer(plan.format, rng) };
  } catch (error) {
    if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    throw new LlmSimulatorRequestError(`Invalid '${FORMAT_SCHEMA_PARAM}': ${error.message}.`, { param: FORMAT_SCHEMA_PARAM, code: 'invalid_value', cause: error });
  }
}
