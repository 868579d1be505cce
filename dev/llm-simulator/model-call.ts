// One call to the simulated model, independent of the wire format it came in: what the prompt
// was, what shape the answer must take, and the answer itself. The OpenAI and Anthropic routes
// read their requests into this and render the answer back in their own format, so faults,
// fixtures, limits and counters behave the same on both.

export type WireFormatName = 'openai' | 'anthropic';

/** The answer format a request asks for (OpenAI's response_format; Anthropic requests map onto it). */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: unknown; strict: boolean };

export interface ToolSpec {
  name: string;
  /** The JSON schema of the arguments: OpenAI's `parameters`, Anthropic's `input_schema`. */
  parameters: unknown;
  /** Where the schema sits in the request (`tools[0].function.parameters`), for 400 messages. */
  schemaParam: string;
}

export interface AnswerPlan {
  /** The shape of a content answer; always text on the Anthropic route. */
  format: ResponseFormat;
  /** Every tool the request offers. */
  tools: ToolSpec[];
  /** When not empty the answer must call one of these (a named tool, or any for `required`). */
  forcedTools: ToolSpec[];
}

export type Answer =
  | { kind: 'text'; text: string }
  /**
   * `arguments` is JSON text, as OpenAI sends it; faults may make it invalid JSON on purpose.
   * `preamble`: text the model wrote before the call (an agent script's reasoning), sent beside it.
   */
  | { kind: 'tool-call'; toolName: string; arguments: string; preamble?: string };

export interface ModelCall {
  wireFormat: WireFormatName;
  model: string;
  /** The prompt as the request log shows it and `promptHash` covers it. */
  messages: unknown[];
  promptHash: string;
  promptTokens: number;
  /** The JSON schema's name when structured output was asked for by `response_format`, else null. */
  schemaName: string | null;
  plan: AnswerPlan;
  /**
   * Turns an answer into one the wire format can carry, before it is recorded; the ledger shows
   * what was sent. Anthropic cannot send a tool call whose input is not a JSON object.
   */
  deliverable?: (answer: Answer) => Answer;
}
