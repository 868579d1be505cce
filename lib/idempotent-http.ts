// One JSON call to a business API, the way every tool and effect of ours makes it: the call's
// idempotency key goes out as the Idempotency-Key header (so a retry after a timeout gets the first
// answer back instead of acting twice), the request has its own deadline, and the answer is sorted
// into a result, a transient failure (no answer, 5xx, 408/425/429: retry) or a refusal (any other
// 4xx: the request's own fault, never retried). The caller turns the failure into its typed error.

/** Request timeouts and throttling pass; every other 4xx is the request's own fault. */
const TRANSIENT_4XX = new Set([408, 425, 429]);

export interface JsonRequest {
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly idempotencyKey?: string;
  readonly body?: unknown;
  readonly requestTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export type HttpFailure =
  | { readonly kind: 'unavailable'; readonly status?: number; readonly detail: string; readonly cause?: unknown }
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string };

export async function requestJson<T>(req: JsonRequest, toError: (failure: HttpFailure) => Error): Promise<T> {
  const timeout = AbortSignal.timeout(req.requestTimeoutMs);
  let res: Response;
  try {
    res = await fetch(new URL(req.path, req.baseUrl), {
      method: req.method,
      headers: { 'content-type': 'application/json', ...(req.idempotencyKey ? { 'idempotency-key': req.idempotencyKey } : {}) },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal ? AbortSignal.any([req.signal, timeout]) : timeout,
    });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause;
    const detail = timeout.aborted ? `no answer within ${req.requestTimeoutMs} ms` : `${(err as Error).message}${cause ? ` (${cause.message})` : ''}`;
    throw toError({ kind: 'unavailable', detail, cause: err });
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: { message: text.slice(0, 200) } };
  }
  if (res.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string } }).error;
  const detail = error ? `${error.code ?? 'error'}: ${error.message ?? ''}` : text.slice(0, 200);
  if (res.status >= 500 || TRANSIENT_4XX.has(res.status)) throw toError({ kind: 'unavailable', status: res.status, detail });
  throw toError({ kind: 'refused', status: res.status, detail });
}
