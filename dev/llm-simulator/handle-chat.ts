// POST /v1/chat/completions: read the OpenAI request into a model call, serve it (faults, limits,
// fixtures, latency, ledger), and reply in the OpenAI wire format.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { agentTurnFor } from './agent-turn-for';
import { chatCompletionBody } from './chat-completion';
import { parseChatRequest } from './chat-request';
import type { Reply } from './http-io';
import type { ModelCall } from './model-call';
import { promptHash } from './prompt-hash';
import { serveCall } from './serve-call';
import type { SimulatorState } from './simulator-state';
import { estimatePromptTokens } from './token-estimate';
import { openaiErrorReply } from './wire-errors';

export async function handleChat(body: unknown, headers: IncomingHttpHeaders, receivedAtMs: number, state: SimulatorState, signal: AbortSignal): Promise<Reply> {
  // Everything that can make the request invalid is checked before the call takes a number, so a
  // bad request never shifts the answers of the calls after it.
  const request = parseChatRequest(body);
  const call: ModelCall = {
    wireFormat: 'openai',
    model: request.model,
    messages: request.messages,
    promptHash: promptHash(request.messages),
    promptTokens: estimatePromptTokens(request.messages),
    schemaName: request.responseFormat.type === 'json_schema' ? request.responseFormat.name : null,
    plan: { format: request.responseFormat, tools: request.tools, forcedTools: request.forcedTools },
  };
  const agent = agentTurnFor('openai', request.messages, request.tools, request.forcedTools, (body as { tool_choice?: unknown }).tool_choice === 'none', state);
  const outcome = await serveCall(call, headers, receivedAtMs, state, signal, agent);
  if (outcome.kind === 'error') return openaiErrorReply(outcome.error);
  return {
    status: 200,
    body: chatCompletionBody({ model: request.model, answer: outcome.answer, promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens }),
    headers: { 'x-request-id': `req_sim_${randomUUID()}`, ...outcome.headers },
  };
}
