// The faults the simulator can inject, how they are switched on (simulator options, or headers
// that aim them at one request) and how one call's fault is decided. Every draw comes from the
// call's fault stream, so the answers of calls without a fault stay what they were.
import type { IncomingHttpHeaders } from 'node:http';
import { LlmSimulatorRequestError } from './errors';
import { headerValue } from './http-io';
import type { Rng } from './prng';

export const FAULT_NAMES = ['rate-limit', 'timeout', 'server-error', 'malformed-json', 'wrong-fields', 'bad-tool-args'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** Not an injected fault: the simulator's own requests/tokens-per-window limit refused the call. */
export const RATE_LIMITER = 'rate-limiter';
/** What the ledger counts by name: the injected faults plus the rate limiter's refusals. */
export type ServedFault = FaultName | typeof RATE_LIMITER;
export const SERVED_FAULTS: readonly ServedFault[] = [...FAULT_NAMES, RATE_LIMITER];

/** `<name>[,<name>]` (one of them fires, drawn per call) or `none` (no fault, whatever is configured). */
export const FAULT_HEADER = 'x-simulator-fault';
/** 0 to 1: the chance that the call gets a fault; 1 when the fault header is sent without it. */
export const FAULT_RATE_HEADER = 'x-simulator-fault-rate';
/** Whole seconds for the Retry-After of an injected 429, or `none` to send no Retry-After. */
export const RETRY_AFTER_HEADER = 'x-simulator-retry-after-s';
/** `503` or `500,502`: the status(es) a server-error fault answers with. */
export const ERROR_STATUS_HEADER = 'x-simulator-error-status';

export const DEFAULT_RETRY_AFTER_S = 2;
// An hour is longer than any backoff a test waits out; more is a typo.
export const RETRY_AFTER_MAX_S = 3600;
// 529 is Anthropic's "overloaded"; the others are what proxies and OpenAI answer when they fail.
export const SERVER_ERROR_STATUSES = [500, 502, 503, 504, 529] as const;
export const DEFAULT_SERVER_ERROR_STATUSES: readonly number[] = [500, 502, 503];

export interface FaultSettings {
  /** Faults that may fire; a faulted call gets one of those that apply to it, drawn uniformly. */
  faults: readonly FaultName[];
  /** Chance, 0 to 1, that a call is faulted. */
  faultRate: number;
  /** The configured faults fire at most this many times (since start, reset or configure); 0 is no limit. */
  faultLimit: number;
  /** Retry-After of an injected 429 in whole seconds; null sends none. */
  retryAfterS: number | null;
  serverErrorStatuses: readonly number[];
}

// Parsers return the value, or a sentence saying what is wrong, so options, flags and headers can
// each raise their own error type with the same wording.

export function parseFaultList(value: unknown): FaultName[] | string {
  const items = typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part !== '') : value;
  if (!Array.isArray(items)) return `expected a list of fault names (${FAULT_NAMES.join(', ')})`;
  const unknown = items.filter((item) => !FAULT_NAMES.includes(item as FaultName));
  if (unknown.length > 0) return `unknown fault ${unknown.map((item) => JSON.stringify(item)).join(', ')}; known faults are ${FAULT_NAMES.join(', ')}`;
  return [...new Set(items as FaultName[])];
}

export function parseFaultRate(value: unknown): number | string {
  const rate = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof rate === 'number' && rate >= 0 && rate <= 1 ? rate : 'expected a probability from 0 to 1';
}

export function parseFaultLimit(value: unknown): number | string {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 'expected a whole number of faults, 0 for no limit';
}

export function parseRetryAfter(value: unknown): number | null | string {
  if (value === null || value === 'none') return null;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 0 && seconds <= RETRY_AFTER_MAX_S
    ? seconds
    : `expected whole seconds from 0 to ${RETRY_AFTER_MAX_S}, or none`;
}

export function parseServerErrorStatuses(value: unknown): number[] | string {
  const items = typeof value === 'string' ? value.split(',').map((part) => Number(part.trim())) : typeof value === 'number' ? [value] : value;
  const allowed: readonly number[] = SERVER_ERROR_STATUSES;
  if (!Array.isArray(items) || items.length === 0 || !items.every((item) => allowed.includes(item as number))) {
    return `expected one or more of ${SERVER_ERROR_STATUSES.join(', ')}`;
  }
  return items as number[];
}

// No setting is itself a string, so a string from a parser is always its complaint.
function fromHeader<T>(headers: IncomingHttpHeaders, name: string, parse: (raw: string) => T | string, fallback: T): T {
  const raw = headerValue(headers, name);
  if (raw === undefined) return fallback;
  const parsed = parse(raw);
  if (typeof parsed === 'string') {
    throw new LlmSimulatorRequestError(`Header ${name} is ${JSON.stringify(raw)}: ${parsed}.`, { param: name, code: 'invalid_value' });
  }
  return parsed as T;
}

/** The fault settings of one request: the simulator's, with what its headers override. */
export function faultSettingsFor(headers: IncomingHttpHeaders, defaults: FaultSettings): FaultSettings {
  const aimed = fromHeader<FaultName[] | null>(headers, FAULT_HEADER, (raw) => (raw.trim() === 'none' ? [] : parseFaultList(raw)), null);
  return {
    faults: aimed ?? defaults.faults,
    // A fault aimed at a request fires unless the request also says how often, and no limit applies to it.
    faultRate: fromHeader(headers, FAULT_RATE_HEADER, parseFaultRate, aimed === null ? defaults.faultRate : 1),
    faultLimit: aimed === null ? defaults.faultLimit : 0,
    retryAfterS: fromHeader(headers, RETRY_AFTER_HEADER, parseRetryAfter, defaults.retryAfterS),
    serverErrorStatuses: fromHeader(headers, ERROR_STATUS_HEADER, parseServerErrorStatuses, defaults.serverErrorStatuses),
  };
}

/**
 * The fault one call gets, or null. `applies` filters out faults that make no sense for the
 * request (bad tool arguments without tools); `firedSoFar` counts the limited faults already
 * served. Two draws are always taken, so what the call draws next (its latency) does not depend
 * on whether a fault fired.
 */
export function decideFault(settings: FaultSettings, applies: (fault: FaultName) => boolean, firedSoFar: number, rng: Rng): FaultName | null {
  const roll = rng.next();
  const pick = rng.next();
  const candidates = settings.faults.filter(applies);
  if (settings.faultLimit > 0 && firedSoFar >= settings.faultLimit) return null;
  if (candidates.length === 0 || roll >= settings.faultRate) return null;
  return candidates[Math.min(candidates.length - 1, Math.floor(pick * candidates.length))];
}
