// How long the simulated model takes: a fixed delay, a uniform range, or a long tail (lognormal, or
// "p% of calls take X ms"). Tests of heartbeats, activity timeouts and p99-driven batch sizing need
// the tail, not just a constant. The same spec is written as an object in options and as a short
// string in flags, environment variables and the per-request header.

export type LatencySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  /** exp(N(ln medianMs, sigma²)), capped at `maxMs`: most calls near the median, a few far above. */
  | { kind: 'lognormal'; medianMs: number; sigma: number; maxMs?: number }
  /** `ms` for most calls, `tailMs` for `tailPercent` % of them. */
  | { kind: 'tail'; ms: number; tailPercent: number; tailMs: number };

// Longer than any activity timeout the project uses; a bigger value is a typo, not a test.
export const LATENCY_MAX_MS = 10 * 60 * 1000;
// Beyond this spread a lognormal is all tail; the cap keeps a typo from meaning "hours".
const LOGNORMAL_SIGMA_MAX = 4;

export const LATENCY_SPEC_SYNTAX =
  "a number of ms, or 'fixed:ms=N', 'uniform:minMs=N,maxMs=N', 'lognormal:medianMs=N,sigma=N[,maxMs=N]', 'tail:ms=N,tailPercent=N,tailMs=N'";

/** What is wrong with a spec, or null when it is valid. */
export function latencySpecProblem(spec: LatencySpec): string | null {
  const ms = (value: unknown, name: string): string | null =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= LATENCY_MAX_MS ? null : `${name} must be 0 to ${LATENCY_MAX_MS} ms`;
  switch (spec.kind) {
    case 'fixed':
      return ms(spec.ms, 'ms');
    case 'uniform':
      return ms(spec.minMs, 'minMs') ?? ms(spec.maxMs, 'maxMs') ?? (spec.minMs <= spec.maxMs ? null : `minMs ${spec.minMs} exceeds maxMs ${spec.maxMs}`);
    case 'lognormal':
      if (ms(spec.medianMs, 'medianMs') !== null) return ms(spec.medianMs, 'medianMs');
      if (!(typeof spec.sigma === 'number' && spec.sigma >= 0 && spec.sigma <= LOGNORMAL_SIGMA_MAX)) return `sigma must be 0 to ${LOGNORMAL_SIGMA_MAX}`;
      return spec.maxMs === undefined ? null : ms(spec.maxMs, 'maxMs');
    case 'tail':
      if (!(typeof spec.tailPercent === 'number' && spec.tailPercent >= 0 && spec.tailPercent <= 100)) return 'tailPercent must be 0 to 100';
      return ms(spec.ms, 'ms') ?? ms(spec.tailMs, 'tailMs');
    default:
      return `kind must be fixed, uniform, lognormal or tail, not ${JSON.stringify((spec as { kind: unknown }).kind)}`;
  }
}

const KEYS: Record<LatencySpec['kind'], { required: string[]; optional: string[] }> = {
  fixed: { required: ['ms'], optional: [] },
  uniform: { required: ['minMs', 'maxMs'], optional: [] },
  lognormal: { required: ['medianMs', 'sigma'], optional: ['maxMs'] },
  tail: { required: ['ms', 'tailPercent', 'tailMs'], optional: [] },
};

/**
 * Reads `uniform:minMs=100,maxMs=500` (or a bare number of ms) into a spec; returns a sentence
 * saying what is wrong instead when it cannot, so each caller can wrap it in its own error type.
 */
export function parseLatencySpec(text: string): LatencySpec | string {
  const trimmed = text.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) {
    const spec: LatencySpec = { kind: 'fixed', ms: Number(trimmed) };
    return latencySpecProblem(spec) ?? spec;
  }
  const colon = trimmed.indexOf(':');
  const kind = colon < 0 ? trimmed : trimmed.slice(0, colon);
  if (!(kind in KEYS)) return `expected ${LATENCY_SPEC_SYNTAX}`;
  const keys = KEYS[kind as LatencySpec['kind']];
  const fields: Record<string, number> = {};
  for (const pair of (colon < 0 ? '' : trimmed.slice(colon + 1)).split(',').filter((part) => part.trim() !== '')) {
    const [key, value, ...rest] = pair.split('=').map((part) => part.trim());
    if (value === undefined || rest.length > 0 || ![...keys.required, ...keys.optional].includes(key)) {
      return `${JSON.stringify(pair)} is not one of ${[...keys.required, ...keys.optional].map((k) => `${k}=N`).join(', ')}`;
    }
    if (value === '' || !Number.isFinite(Number(value))) return `${key} must be a number, not ${JSON.stringify(value)}`;
    fields[key] = Number(value);
  }
  const missing = keys.required.filter((key) => !(key in fields));
  if (missing.length > 0) return `${kind} needs ${missing.map((k) => `${k}=N`).join(', ')}`;
  const spec = { kind, ...fields } as LatencySpec;
  return latencySpecProblem(spec) ?? spec;
}
