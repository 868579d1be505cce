// POST /v1/messages: read the Anthropic request into a model call, serve it (faults, limits,
// fixtures, latency, ledger) exactly as the OpenAI route does, and reply in Anthropic's format.
// Structured output over Anthropic is a forced tool whose input_schema is the JSON schema.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { agentTurnFor } from './agent-turn-for';
import { anthropicDeliverable, anthropicMessageBody } from './anthropic-message';
import { checkAnthropicHeaders, parseAnthropicRequest } from './anthropic-request';
import type { Reply } from './http-io';
import type { ModelCall } from './model-call';
import { anthropicPromptMessages, promptHash } from './prompt-hash';
import { serveCall } from './serve-call';
import type { SimulatorState } from './simulator-state';
import { estimateAnthropicInputTokens } from './token-estimate';
import { anthropicErrorReply } from './wire-errors';

export async function handleMessages(body: unknown, headers: IncomingHttpHeaders, receivedAtMs: number, state: SimulatorState, signal: AbortSignal): Promise<Reply> {
  checkAnthropicHeaders(headers);
  const request = parseAnthropicRequest(body);
  const messages = anthropicPromptMessages(request.system, request.messages);
  const call: ModelCall = {
    wireFormat: 'anthropic',
    model: request.model,
    messages,
    promptHash: promptHash(messages),
    promptTokens: estimateAnthropicInputTokens(request.system, request.messages),
    schemaName: null,
    plan: { format: { type: 'text' }, tools: request.tools, forcedTools: request.forcedTools },
    deliverable: anthropicDeliverable,
  };
  const agent = agentTurnFor('anthropic', messages, request.tools, request.forcedTools, (body as { tool_choice?: { type?: unknown } }).tool_choice?.type === 'none', state);
  const outcome = await serveCall(call, headers, receivedAtMs, state, signal, agent);
  if (outcome.kind === 'error') return anthropicErrorReply(outcome.error);
  return {
    status: 200,
    body: anthropicMessageBody({ model: request.model, answer: outcome.answer, inputTokens: outcome.promptTokens, outputTokens: outcome.completionTokens }),
    headers: { 'request-id': `req_sim_${randomUUID()}`, ...outcome.headers },
  };
}
