// The backpressure rule, once: the bridge pauses and resumes by it, and `kta status` tells by it
// whether a bridge would pause a route now. Hysteresis: pause at the bound, resume at a fraction of it.

/** Resume once open runs (or the limiter's window) fall to this fraction of the bound. */
export const RESUME_AT_FRACTION = 0.8;

export type PauseReason = 'open-runs' | 'model-saturated';

/** pause: the topic must pause; hold: a paused topic stays paused, a running one keeps running; run: resume or keep running. */
export type PauseVerdict = 'pause' | 'hold' | 'run';

export function openRunsVerdict(openRuns: number, bound: number): PauseVerdict {
  if (openRuns >= bound) return 'pause';
  return openRuns > Math.floor(bound * RESUME_AT_FRACTION) ? 'hold' : 'run';
}

/** The model limiter's state as the bridge reads it; none when no worker has created its tables yet. */
export function modelSaturationVerdict(s: { saturated: boolean; fraction: number } | null | undefined): PauseVerdict {
  if (s?.saturated) return 'pause';
  return s && s.fraction > RESUME_AT_FRACTION ? 'hold' : 'run';
}
