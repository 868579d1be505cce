// Provider errors -> the project's failure classes. Both SDKs expose `status` and `headers` on their
// API errors; anything without a status (connection reset, timeout, abort) is transient.
import { LlmPermanentError, LlmTransientError } from '../../errors';

const TRANSIENT_STATUSES = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

export function retryAfterMs(headers: unknown): number | undefined {
  const get = (name: string): string | null | undefined =>
    headers && typeof (headers as Headers).get === 'function' ? (headers as Headers).get(name) : (headers as Record<string, string> | undefined)?.[name];
  const ms = get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get('retry-after');
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const FIXES: Record<number, string> = {
  400: 'the request does not fit this provider; check LLM_MODEL and the output schema',
  401: 'the provider rejected the key; set LLM_API_KEY to a valid key',
  403: 'the key may not use this model; check LLM_API_KEY and LLM_MODEL',
  404: 'the model or endpoint does not exist; check LLM_MODEL and LLM_BASE_URL',
  413: 'the prompt is too large for this model; shorten it or use a model with a larger context',
  422: 'the provider could not process the request; check the output schema',
};

export function classifyProviderError(err: unknown, provider: string, model: string): LlmTransientError | LlmPermanentError {
  const status = (err as { status?: unknown }).status;
  const detail = (err as Error)?.message ?? String(err);
  if (typeof status !== 'number' || TRANSIENT_STATUSES.has(status) || status >= 500) {
    return new LlmTransientError(provider, model, typeof status === 'number' ? status : undefined, retryAfterMs((err as { headers?: unknown }).headers), detail, { cause: err });
  }
  return new LlmPermanentError(provider, model, status, detail, FIXES[status] ?? 'the provider refused the request; fix it before retrying', { cause: err });
}
