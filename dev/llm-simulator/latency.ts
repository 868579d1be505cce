// Simulated model latency: drawn per call from the simulator's latency spec, overridable per
// request with a header so one test can make a single call slow (a heartbeat or timeout test)
// without a second simulator. Draws come from the call's fault stream, never the answer stream.
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { LlmSimulatorRequestError } from './errors';
import { headerValue } from './http-io';
import { LATENCY_MAX_MS, LATENCY_SPEC_SYNTAX, parseLatencySpec, type LatencySpec } from './latency-spec';
import type { Rng } from './prng';

export { LATENCY_MAX_MS } from './latency-spec';

/** A fixed latency in ms for one request. */
export const LATENCY_HEADER = 'x-simulator-latency-ms';
/** A latency spec for one request: `uniform:minMs=100,maxMs=500`, `tail:ms=10,tailPercent=5,tailMs=3000`. */
export const LATENCY_SPEC_HEADER = 'x-simulator-latency';

/** The latency spec for one request: from its headers when present, else the simulator's. */
export function latencySpecFor(headers: IncomingHttpHeaders, defaultSpec: LatencySpec): LatencySpec {
  const fixed = headerValue(headers, LATENCY_HEADER);
  const spec = headerValue(headers, LATENCY_SPEC_HEADER);
  if (fixed !== undefined && spec !== undefined) {
    throw new LlmSimulatorRequestError(`Send one of the headers ${LATENCY_HEADER} and ${LATENCY_SPEC_HEADER}, not both.`, { param: LATENCY_SPEC_HEADER, code: 'invalid_value' });
  }
  if (fixed !== undefined) {
    const ms = Number(fixed);
    if (fixed.trim() === '' || !Number.isFinite(ms) || ms < 0 || ms > LATENCY_MAX_MS) {
      throw new LlmSimulatorRequestError(
        `Header ${LATENCY_HEADER} is ${JSON.stringify(fixed)}; send a number of milliseconds from 0 to ${LATENCY_MAX_MS}.`,
        { param: LATENCY_HEADER, code: 'invalid_value' },
      );
    }
    return { kind: 'fixed', ms };
  }
  if (spec !== undefined) {
    const parsed = parseLatencySpec(spec);
    if (typeof parsed === 'string') {
      throw new LlmSimulatorRequestError(`Header ${LATENCY_SPEC_HEADER} is ${JSON.stringify(spec)}: ${parsed}; send ${LATENCY_SPEC_SYNTAX}.`, {
        param: LATENCY_SPEC_HEADER,
        code: 'invalid_value',
      });
    }
    return parsed;
  }
  return defaultSpec;
}

// A standard normal draw (Box-Muller); `1 - next()` keeps the logarithm away from zero.
function standardNormal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** One call's latency in whole ms; fixed specs draw nothing. */
export function drawLatency(spec: LatencySpec, rng: Rng): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return Math.round(spec.minMs + rng.next() * (spec.maxMs - spec.minMs));
    case 'lognormal':
      return Math.round(Math.min(spec.maxMs ?? LATENCY_MAX_MS, LATENCY_MAX_MS, spec.medianMs * Math.exp(spec.sigma * standardNormal(rng))));
    case 'tail':
      return rng.chance(spec.tailPercent / 100) ? spec.tailMs : spec.ms;
  }
}

/** Waits `ms`; rejects with an AbortError when the request is abandoned or the simulator closes. */
export async function waitLatency(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await delay(ms, undefined, { signal });
}

/**
 * Never resolves: the `timeout` fault. Rejects when the client gives up or the simulator closes,
 * and holds no timer meanwhile, so a hung request never keeps the process alive.
 */
export function waitUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
