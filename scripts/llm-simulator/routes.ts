// The simulator's routes: the OpenAI-compatible API under /v1, the test-facing /simulator/*
// endpoints (counters, request log, reset) and a health check.
import type { IncomingMessage } from 'node:http';
import { LlmSimulatorRequestError } from './errors';
import { handleChat } from './handle-chat';
import { notFoundReply, parseJsonBody, readBody, type Reply } from './http-io';
import type { SimulatorState } from './simulator-state';

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

export async function dispatch(req: IncomingMessage, state: SimulatorState): Promise<Reply> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  switch (`${method} ${url.pathname}`) {
    case 'GET /healthz':
      return { status: 200, body: { status: 'ok' } };
    case 'POST /v1/chat/completions':
      return handleChat(parseJsonBody(await readBody(req)), req.headers, state);
    case 'GET /v1/models':
      return { status: 200, body: { object: 'list', data: [{ id: SIMULATED_MODEL_ID, object: 'model', created: 0, owned_by: 'llm-simulator' }] } };
    case 'GET /simulator/stats':
      return { status: 200, body: state.ledger.stats() };
    case 'GET /simulator/requests':
      return { status: 200, body: { requests: state.ledger.requests(parseLimit(url.searchParams.get('limit'))) } };
    case 'POST /simulator/reset': {
      state.reset(parseResetBody(parseJsonBody(await readBody(req), {})));
      return { status: 200, body: { seed: state.seed } };
    }
    default:
      return notFoundReply(method, url.pathname);
  }
}
