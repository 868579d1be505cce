// The backpressure rule, once: the bridge pauses and resumes by it, and `kta status` tells by it
// whether a bridge would pause a route now. Hysteresis: pause at the bound, resume at a fraction of it.

/** Resume once open runs (or the limiter's window) fall to this fraction of the bound. */
export const RESUME_AT_FRACTION = 0.8;

export type PauseReason = 'open-runs' | 'model-saturated';

/** How full a model limiter key is (the workers' TokenLimiter reads it), for the bridge's backpressure and `kta doctor`. */
export interface Saturation {
  readonly key: string;
  /** A provider's Retry-After is in force for this long (0: none). */
  readonly retryAfterMs: number;
  /** Some call was turned away and is waiting for room. */
  readonly callsWaiting: boolean;
  readonly usedTokens: number;
  readonly usedRequests: number;
  /** The larger of tokens and requests used over their limits (0 when no limit is set). */
  readonly fraction: number;
  /** Calls cannot go out now: a Retry-After is in force or calls are waiting for room. */
  readonly saturated: boolean;
}


/** pause: the topic must pause; hold: a paused topic stays paused, a running one keeps running; run: resume or keep running. */
export type PauseVerdict = 'pause' | 'hold' | 'run';

export function openRunsVerdict(openRuns: number, bound: number): PauseVerdict {
  if (openRuns >= bound) return 'pause';
  return openRuns > Math.floor(bound * RESUME_AT_FRACTION) ? 'hold' : 'run';
}

/** The model limiter's state as the bridge reads it; none when no worker has created its tables yet. */
export function modelSaturationVerdict(s: Pick<Saturation, 'saturated' | 'fraction'> | null | undefined): PauseVerdict {
  if (s?.saturated) return 'pause';
  return s && s.fraction > RESUME_AT_FRACTION ? 'hold' : 'run';
}
