// Simulated model latency: a fixed delay per simulator, overridable per request with a header so
// one test can make a single call slow (a heartbeat or timeout test) without a second simulator.
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { LlmSimulatorRequestError } from './errors';

export const LATENCY_HEADER = 'x-simulator-latency-ms';
// Longer than any activity timeout the project uses; a bigger value is a typo, not a test.
export const LATENCY_MAX_MS = 10 * 60 * 1000;

/** The latency for one request: the header's value when present, else the simulator's default. */
export function latencyFor(headers: IncomingHttpHeaders, defaultMs: number): number {
  const raw = headers[LATENCY_HEADER];
  if (raw === undefined) return defaultMs;
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const ms = Number(text);
  if (text.trim() === '' || !Number.isFinite(ms) || ms < 0 || ms > LATENCY_MAX_MS) {
    throw new LlmSimulatorRequestError(
      `Header ${LATENCY_HEADER} is ${JSON.stringify(text)}; send a number of milliseconds from 0 to ${LATENCY_MAX_MS}.`,
      { param: LATENCY_HEADER, code: 'invalid_value' },
    );
  }
  return ms;
}

/** Waits `ms`; rejects with an AbortError when the simulator closes meanwhile. */
export async function waitLatency(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await delay(ms, undefined, { signal });
}
