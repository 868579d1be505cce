// What the simulated model says, independent of any provider's wire format: a sentence for plain
// chat, a JSON text valid against the requested schema for structured output. An Anthropic wire
// format would reuse this and only wrap it differently.
import type { ResponseFormat } from './chat-request';
import { jsonSchemaInstance } from './json-schema-instance';
import type { Rng } from './prng';
import { reviewSentence } from './review-text';

// The shape of an answer when JSON is asked for without a schema (`json_object`, or `json_schema`
// with the schema left out): what a review agent plausibly returns.
const FREE_JSON_ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    summary: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 4 },
    sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
  },
  required: ['summary', 'tags', 'sentiment'],
} as const;

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
