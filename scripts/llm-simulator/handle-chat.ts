// POST /v1/chat/completions: parse the request, number the call, compose the answer, wait the
// simulated latency, record the call, reply in the OpenAI wire format.
import type { IncomingHttpHeaders } from 'node:http';
import { chatCompletionBody } from './chat-completion';
import { parseChatRequest } from './chat-request';
import { composeAnswer } from './compose-answer';
import { LlmSimulatorRequestError, UnsatisfiableSchemaError } from './errors';
import type { Reply } from './http-io';
import { latencyFor, waitLatency } from './latency';
import { promptHash } from './prompt-hash';
import type { SimulatorState } from './simulator-state';
import { estimatePromptTokens, estimateTextTokens } from './token-estimate';

export async function handleChat(body: unknown, headers: IncomingHttpHeaders, state: SimulatorState): Promise<Reply> {
  // Everything that can make the request invalid is checked before the call takes a number, so a
  // bad request never shifts the answers of the calls after it.
  const request = parseChatRequest(body);
  const latencyMs = latencyFor(headers, state.latencyMs);
  const { callNumber, rng } = state.takeCall();

  // Faults (429 with Retry-After, 5xx, timeouts, malformed JSON) belong here, decided per call
  // from their own random stream so that adding them does not change the answers drawn below.
  let content: string;
  try {
    content = composeAnswer(request.responseFormat, rng);
  } catch (error) {
    if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    throw new LlmSimulatorRequestError(`Invalid 'response_format.json_schema.schema': ${error.message}.`, {
      param: 'response_format.json_schema.schema',
      code: 'invalid_value',
      cause: error,
    });
  }

  await waitLatency(latencyMs, state.closing.signal);

  const promptTokens = estimatePromptTokens(request.messages);
  const completionTokens = estimateTextTokens(content);
  // Recorded before the reply is written, so a client never sees an answer the ledger lacks.
  state.ledger.record(
    {
      timestampMs: Date.now(),
      callNumber,
      model: request.model,
      promptHash: promptHash(request.messages),
      messages: request.messages,
      schemaName: request.responseFormat.type === 'json_schema' ? request.responseFormat.name : null,
      content,
    },
    { promptTokens, completionTokens },
  );
  return { status: 200, body: chatCompletionBody({ model: request.model, content, promptTokens, completionTokens }) };
}
