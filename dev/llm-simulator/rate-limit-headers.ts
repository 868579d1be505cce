// The rate-limit headers providers send with every answer while a quota is in force, so a
// client-side limiter can be tested on how it reads them: OpenAI's `x-ratelimit-*` (reset as a
// duration) and Anthropic's `anthropic-ratelimit-*` (reset as an RFC 3339 time).
import type { WireFormatName } from './model-call';
import type { LimitSnapshot } from './rate-limiter';

/** `Retry-After` in whole seconds (rounded up, at least 1) and `retry-after-ms`, which both SDKs prefer. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'retry-after-ms': String(Math.ceil(retryAfterMs)) };
}

export function rateLimitHeaders(wire: WireFormatName, snapshot: LimitSnapshot, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const kinds = [
    { kind: 'requests', limit: snapshot.limit.requestsPerWindow, remaining: snapshot.requestsRemaining },
    { kind: 'tokens', limit: snapshot.limit.tokensPerWindow, remaining: snapshot.tokensRemaining },
  ];
  for (const { kind, limit, remaining } of kinds) {
    if (limit === null || remaining === null) continue;
    if (wire === 'openai') {
      headers[`x-ratelimit-limit-${kind}`] = String(limit);
      headers[`x-ratelimit-remaining-${kind}`] = String(remaining);
      headers[`x-ratelimit-reset-${kind}`] = `${Math.ceil(snapshot.resetMs)}ms`;
    } else {
      headers[`anthropic-ratelimit-${kind}-limit`] = String(limit);
      headers[`anthropic-ratelimit-${kind}-remaining`] = String(remaining);
      headers[`anthropic-ratelimit-${kind}-reset`] = new Date(nowMs + snapshot.resetMs).toISOString();
    }
  }
  return headers;
}
