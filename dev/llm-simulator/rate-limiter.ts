// The simulator's own rate limit: at most N requests and/or T tokens in any sliding window of W ms,
// like a provider's RPM/TPM quota. A refused call learns exactly when it would fit, so its
// Retry-After is correct: a client that waits it out gets through. This is what a client-side
// token limiter is tested against. No timers: the window is pruned when a call arrives.

export interface RateLimitOptions {
  requestsPerWindow?: number;
  /** Prompt tokens count when a call is admitted, its completion tokens once it is answered. */
  tokensPerWindow?: number;
  windowMs?: number;
}

export interface RateLimit {
  requestsPerWindow: number | null;
  tokensPerWindow: number | null;
  windowMs: number;
}

export const DEFAULT_RATE_WINDOW_MS = 60_000;
// Timers and Date.now() can disagree by a millisecond; a client that waits exactly the advertised
// time must not arrive one millisecond early.
const CLOCK_MARGIN_MS = 1;

interface WindowEntry {
  atMs: number;
  tokens: number;
}

export interface LimitSnapshot {
  limit: RateLimit;
  requestsRemaining: number | null;
  tokensRemaining: number | null;
  /** Until the window is empty again (every admitted call has left it). */
  resetMs: number;
}

export type Admission =
  | { admitted: true; entry: WindowEntry; snapshot: LimitSnapshot }
  | {
      admitted: false;
      /** Which limit refused the call. */
      exceeded: 'requests' | 'tokens';
      /** How long until the call fits; null when it never can (more tokens than the window allows). */
      retryAfterMs: number | null;
      costTokens: number;
      snapshot: LimitSnapshot;
    };

export class RateLimiter {
  private entries: WindowEntry[] = [];

  constructor(readonly limit: RateLimit) {}

  private prune(nowMs: number): void {
    while (this.entries.length > 0 && this.entries[0].atMs + this.limit.windowMs <= nowMs) this.entries.shift();
  }

  private snapshot(nowMs: number): LimitSnapshot {
    const used = this.entries.reduce((sum, entry) => sum + entry.tokens, 0);
    const newest = this.entries[this.entries.length - 1];
    return {
      limit: this.limit,
      requestsRemaining: this.limit.requestsPerWindow === null ? null : Math.max(0, this.limit.requestsPerWindow - this.entries.length),
      tokensRemaining: this.limit.tokensPerWindow === null ? null : Math.max(0, this.limit.tokensPerWindow - used),
      resetMs: newest ? newest.atMs + this.limit.windowMs - nowMs : 0,
    };
  }

  /** Admits a call costing `costTokens` now, or says which limit refused it and when it would fit. */
  admit(costTokens: number, nowMs: number): Admission {
    this.prune(nowMs);
    const maxRequests = this.limit.requestsPerWindow ?? Number.POSITIVE_INFINITY;
    const maxTokens = this.limit.tokensPerWindow ?? Number.POSITIVE_INFINITY;
    let count = this.entries.length;
    let tokens = this.entries.reduce((sum, entry) => sum + entry.tokens, 0);
    const fits = (): boolean => count + 1 <= maxRequests && tokens + costTokens <= maxTokens;
    if (fits()) {
      const entry = { atMs: nowMs, tokens: costTokens };
      this.entries.push(entry);
      return { admitted: true, entry, snapshot: this.snapshot(nowMs) };
    }
    const exceeded = count + 1 > maxRequests ? 'requests' : 'tokens';
    if (costTokens > maxTokens) return { admitted: false, exceeded: 'tokens', retryAfterMs: null, costTokens, snapshot: this.snapshot(nowMs) };
    // Entries leave the window oldest first; the call fits once enough of them have left.
    for (const entry of this.entries) {
      count -= 1;
      tokens -= entry.tokens;
      if (fits()) {
        return { admitted: false, exceeded, retryAfterMs: entry.atMs + this.limit.windowMs - nowMs + CLOCK_MARGIN_MS, costTokens, snapshot: this.snapshot(nowMs) };
      }
    }
    // Unreachable: an empty window admits any call within the token limit.
    return { admitted: false, exceeded, retryAfterMs: this.limit.windowMs, costTokens, snapshot: this.snapshot(nowMs) };
  }

  /** Adds an admitted call's completion tokens once its answer is known. */
  addTokens(entry: WindowEntry, tokens: number): void {
    entry.tokens += tokens;
  }

  /** Takes back an admission whose call was then refused as invalid (a 400 is not a model call). */
  release(entry: WindowEntry): void {
    this.entries = this.entries.filter((kept) => kept !== entry);
  }

  reset(): void {
    this.entries = [];
  }
}
