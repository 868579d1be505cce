// The doctor's LLM check: the configured endpoint answers its model listing. Warn-only: some
// endpoints refuse to list models (or need a scope the key lacks) and still serve completions.
import type { Config } from '../config';
import type { CheckOutcome, DoctorCheck } from './doctor-runner';
import { clientTimeoutMs, opened } from './doctor-runner';

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
