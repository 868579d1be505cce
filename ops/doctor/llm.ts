// The doctor's LLM check: the configured endpoint answers its model listing. Warn-only: some
// endpoints refuse to list models (or need a scope the key lacks) and still serve completions.
import type { Config } from '../../config';
import { isUndefinedTable } from '../../lib/pg-errors';
import { TokenLimiter, limiterKeyFor, type Saturation } from '../../activities/llm/limiter/token-limiter';
import type { CheckOutcome, DoctorCheck } from './runner';
import { clientTimeoutMs, opened } from './runner';

// The version header every Anthropic API request carries; /v1/models exists in every version.
const ANTHROPIC_VERSION = '2023-06-01';

/** The listing each SDK itself would call: OpenAI-compatible under the base URL, Anthropic under /v1. */
function modelListRequest(llm: Config['llm']): { url: string; headers: Record<string, string> } {
  const base = llm.baseUrl.replace(/\/+$/, '');
  return llm.provider === 'anthropic'
    ? { url: `${base}/v1/models`, headers: { 'x-api-key': llm.apiKey, 'anthropic-version': ANTHROPIC_VERSION } }
    : { url: `${base}/models`, headers: { authorization: `Bearer ${llm.apiKey}` } };
}

export const llmCheck: DoctorCheck = {
  name: 'llm',
  needs: [],
  async run(ctx): Promise<CheckOutcome> {
    const { llm } = opened(ctx, 'config');
    const { url, headers } = modelListRequest(llm);
    const where = `${llm.provider} endpoint ${url}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(clientTimeoutMs(ctx)) });
    } catch (err) {
      const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      return { status: 'warn', message: `${where} did not answer: ${reason}`, fix: 'check LLM_BASE_URL and that the model server (or the simulator: npx kta simulator) runs' };
    }
    const body = await response.text();
    if (!response.ok) {
      const refused = response.status === 401 || response.status === 403;
      return {
        status: 'warn',
        message: `${where} answered HTTP ${response.status}${refused ? ': the key was refused' : ''} (${body.slice(0, 120)})`,
        fix: refused ? 'set LLM_API_KEY to a valid key for this provider' : 'check LLM_BASE_URL and LLM_PROVIDER; an endpoint that does not list models may still serve calls',
        details: { url, httpStatus: response.status },
      };
    }
    let models: string[] = [];
    try {
      models = ((JSON.parse(body) as { data?: { id?: string }[] }).data ?? []).flatMap((m) => (m.id ? [m.id] : []));
    } catch {
      // A 200 that is not a model list still shows the endpoint is up.
    }
    const details = { url, httpStatus: response.status, model: llm.model, listed: models };
    if (models.length > 0 && !models.includes(llm.model)) {
      return {
        status: 'warn',
        message: `${where} answers, but LLM_MODEL ${llm.model} is not among its ${models.length} listed models (${models.slice(0, 5).join(', ')})`,
        fix: 'set LLM_MODEL to a listed model, unless this server accepts unlisted names',
        details,
      };
    }
    return { status: 'ok', message: `${where} answers (HTTP ${response.status}${models.length ? `, lists ${llm.model}` : ''})`, details };
  },
};

/**
 * The model's rate limiter: its limits against each route's model timeout (a call must be able to
 * wait for room and still finish inside the activity's start-to-close), and its state now (the same
 * reading the bridge's backpressure takes: a Retry-After in force or calls waiting pause the routes).
 */
export const modelLimiterCheck: DoctorCheck = {
  name: 'model-limiter',
  needs: ['postgres'],
  async run(ctx): Promise<CheckOutcome> {
    const config = opened(ctx, 'config');
    const { llm } = config;
    const limits = llm.limits;
    const tooShort = config.routes.filter((r) => llm.requestTimeoutMs >= r.workflow.modelTimeoutMs);
    const limiter = new TokenLimiter(opened(ctx, 'pool'), { ...limits, staleAfterMs: llm.requestTimeoutMs });
    const key = limiterKeyFor(llm.provider, llm.model);
    const described = limiter.enabled
      ? `${limits.tokensPerWindow || 'unlimited'} tokens and ${limits.requestsPerWindow || 'unlimited'} requests per ${limits.windowMs} ms`
      : 'no token or request limit (only a provider\'s Retry-After holds calls back)';
    let state: Saturation | undefined;
    try {
      state = await limiter.saturation(key);
    } catch (err) {
      if (!isUndefinedTable(err)) throw err;
    }
    const details = { key, limits, requestTimeoutMs: llm.requestTimeoutMs, state, routesWithShortModelTimeout: tooShort.map((r) => r.topic) };
    if (tooShort.length) {
      const shortest = Math.min(...tooShort.map((r) => r.workflow.modelTimeoutMs));
      return {
        status: 'warn',
        message: `LLM_REQUEST_TIMEOUT_MS ${llm.requestTimeoutMs} ms is not below the model timeout of route(s) ${tooShort.map((r) => `${r.topic} (${r.workflow.modelTimeoutMs} ms)`).join(', ')}: their calls cannot wait for the limiter, and a slow answer outlives its activity attempt`,
        fix: `set LLM_REQUEST_TIMEOUT_MS below ${shortest} ms (a half leaves the other half for waiting), or raise those routes' workflow.modelTimeoutMs`,
        details,
      };
    }
    if (!state) return { status: 'ok', message: `${key}: ${described}; no call recorded yet (a worker creates the limiter's tables)`, details };
    const now = `window ${Math.round(state.fraction * 100)} % full (${state.usedTokens} tokens, ${state.usedRequests} requests counting)`;
    if (state.saturated) {
      const why = state.retryAfterMs > 0 ? `the provider asked to wait ${state.retryAfterMs} ms more (Retry-After)` : 'calls are waiting for room';
      return {
        status: 'warn',
        message: `${key}: ${described}; saturated now: ${why}; ${now}. Bridges pause the routes with pauseOnModelSaturation until it clears`,
        fix: 'nothing is lost while it lasts; if it persists, raise the provider quota and LLM_TOKENS_PER_WINDOW / LLM_REQUESTS_PER_WINDOW, or lower the open-run bound (maxOpenRuns)',
        details,
      };
    }
    return { status: 'ok', message: `${key}: ${described}; ${now}; nothing waiting`, details };
  },
};
