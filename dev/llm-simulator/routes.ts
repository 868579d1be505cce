// The simulator's routes: the OpenAI-compatible and Anthropic-compatible APIs under /v1, the
// test-facing /simulator/* endpoints (counters, request log, settings, reset) and a health check.
import type { IncomingMessage } from 'node:http';
import { LlmSimulatorConfigError, LlmSimulatorRequestError } from './errors';
import { handleChat } from './handle-chat';
import { handleMessages } from './handle-messages';
import { notFoundReply, parseJsonBody, readBody, type Reply } from './http-io';
import { resolveSettings, SETTING_NAMES, type LlmSimulatorSettings } from './simulator-options';
import type { SimulatorState } from './simulator-state';
import { anthropicErrorReply, requestErrorAsSimulated, unexpectedErrorAsSimulated } from './wire-errors';

// The model list answers clients that probe /v1/models before their first call.
const SIMULATED_MODEL_ID = 'llm-simulator';

function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const limit = Number(raw);
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new LlmSimulatorRequestError(`Query parameter limit is ${JSON.stringify(raw)}; send a whole number of requests, 0 or more.`, { param: 'limit' });
  }
  return limit;
}

function parseResetBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LlmSimulatorRequestError('The reset body must be a JSON object such as {"seed": 7}, or empty.');
  }
  const { seed } = body as { seed?: unknown };
  if (seed === undefined) return undefined;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new LlmSimulatorRequestError(`Reset seed is ${JSON.stringify(seed)}; send a whole number.`, { param: 'seed' });
  }
  return seed;
}

// The body of POST /simulator/config: the settings to change, checked like the start options.
function applySettings(body: unknown, state: SimulatorState): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new LlmSimulatorRequestError('The config body must be a JSON object such as {"faults": ["rate-limit"], "faultRate": 0.1}.');
  }
  const unknown = Object.keys(body).filter((key) => !(SETTING_NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new LlmSimulatorRequestError(`Unknown setting ${unknown.join(', ')}; the settings are ${SETTING_NAMES.join(', ')}.`, { param: unknown[0] });
  }
  try {
    state.configure(resolveSettings(body as LlmSimulatorSettings, state.settings));
  } catch (error) {
    if (!(error instanceof LlmSimulatorConfigError)) throw error;
    throw new LlmSimulatorRequestError(error.message, { param: error.option, cause: error });
  }
}

function parseAnthropicJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LlmSimulatorRequestError(`The request body is not valid JSON (${(error as Error).message}); send the Messages request as a JSON object.`, { cause: error });
  }
}

// Errors on the Anthropic route are answered in Anthropic's format, so its SDK raises its own
// error classes; an abandoned request is left to the caller, which cuts the connection.
async function inAnthropicFormat(signal: AbortSignal, work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof LlmSimulatorRequestError) return anthropicErrorReply(requestErrorAsSimulated(error));
    console.error('llm-simulator: unexpected error', error);
    return anthropicErrorReply(unexpectedErrorAsSimulated(error));
  }
}

/** Routes one request; `signal` aborts when its client leaves or the simulator closes. */
export async function dispatch(req: IncomingMessage, state: SimulatorState, signal: AbortSignal): Promise<Reply> {
  // Taken before the body is read: the request log's arrival time is when the request arrived.
  const receivedAtMs = Date.now();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  switch (`${method} ${url.pathname}`) {
    case 'GET /healthz':
      return { status: 200, body: { status: 'ok' } };
    case 'POST /v1/chat/completions':
      return handleChat(parseJsonBody(await readBody(req)), req.headers, receivedAtMs, state, signal);
    case 'POST /v1/messages':
      return inAnthropicFormat(signal, async () => handleMessages(parseAnthropicJson(await readBody(req)), req.headers, receivedAtMs, state, signal));
    case 'GET /v1/models':
      // Both SDKs list models on the same path; Anthropic's sends its version header.
      return req.headers['anthropic-version'] === undefined
        ? { status: 200, body: { object: 'list', data: [{ id: SIMULATED_MODEL_ID, object: 'model', created: 0, owned_by: 'llm-simulator' }] } }
        : {
            status: 200,
            body: {
              data: [{ type: 'model', id: SIMULATED_MODEL_ID, display_name: 'LLM simulator (not a model)', created_at: '2024-01-01T00:00:00Z' }],
              has_more: false,
              first_id: SIMULATED_MODEL_ID,
              last_id: SIMULATED_MODEL_ID,
            },
          };
    case 'GET /simulator/stats':
      return { status: 200, body: state.ledger.stats() };
    case 'GET /simulator/requests':
      return { status: 200, body: { requests: state.ledger.requests(parseLimit(url.searchParams.get('limit'))) } };
    case 'GET /simulator/config':
      return { status: 200, body: state.settings };
    case 'POST /simulator/config':
      applySettings(parseJsonBody(await readBody(req), {}), state);
      return { status: 200, body: state.settings };
    case 'POST /simulator/reset': {
      state.reset(parseResetBody(parseJsonBody(await readBody(req), {})));
      return { status: 200, body: { seed: state.seed } };
    }
    default:
      return notFoundReply(method, url.pathname);
  }
}
