// The options of `startLlmSimulator`, checked once at start with a message that names the option
// and says what to use instead. Flags and environment variables of the standalone entry, and the
// settings changed at run time (`configure()`, `POST /simulator/config`), are checked here too, so
// every way of setting the simulator accepts and refuses the same things.
import { isAgentScript, NO_AGENT, type AgentSettings } from './agent-choice';
import { AGENT_SCRIPTS, type AgentScriptName } from './agent-scripts';
import { LlmSimulatorConfigError } from './errors';
import {
  DEFAULT_RETRY_AFTER_S,
  DEFAULT_SERVER_ERROR_STATUSES,
  parseFaultLimit,
  parseFaultList,
  parseFaultRate,
  parseRetryAfter,
  parseServerErrorStatuses,
  type FaultName,
  type FaultSettings,
} from './faults';
import { loadFixtures, type Fixtures } from './fixtures';
import { LATENCY_MAX_MS, LATENCY_SPEC_SYNTAX, latencySpecProblem, parseLatencySpec, type LatencySpec } from './latency-spec';
import { DEFAULT_RATE_WINDOW_MS, type RateLimit, type RateLimitOptions } from './rate-limiter';

export interface LlmSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the simulator has no authentication. */
  host?: string;
  /** The same seed and the same sequence of calls give the same answers, faults and latencies. */
  seed?: number;
  /** A fixed delay before every answer; shorthand for `latency: { kind: 'fixed', ms }`. */
  latencyMs?: number;
  /** The latency distribution: an object, or its string form (`uniform:minMs=100,maxMs=500`). */
  latency?: LatencySpec | string;
  /** Faults that may fire on any call (a header can aim others at one request). */
  faults?: readonly FaultName[] | string;
  /** Chance, 0 to 1, that a call gets one of `faults`; 1 by default. */
  faultRate?: number;
  /** `faults` fire at most this many times in all (counted again after reset or configure); 0, the default, is no limit. */
  faultLimit?: number;
  /** Retry-After of the injected 429 in whole seconds, 2 by default; null sends none. */
  retryAfterS?: number | null;
  /** Statuses the `server-error` fault answers with, one drawn per call; 500, 502 and 503 by default. */
  serverErrorStatuses?: readonly number[];
  /** The simulator's own requests/tokens-per-window limit, answered with 429 and an exact Retry-After. */
  rateLimit?: RateLimitOptions;
  /** Answers by prompt hash, or the path of a JSON file holding them. */
  fixtures?: string | Fixtures;
  /** A path: every clean answer is written there as a fixtures file when the simulator closes. */
  record?: string;
  /**
   * The agent script for tool calls when the conversation names none (`sim-script: NAME` in the
   * record or system prompt wins); null or left out: no default (see agent-choice.ts).
   */
  agentScript?: AgentScriptName | null;
  /** Text in the record -> agent script, e.g. `{ 'ord-1007': 'never-stops' }`; replaced whole when set. */
  agentScripts?: Record<string, AgentScriptName>;
}

/** What `configure()` and `POST /simulator/config` can change while the simulator runs. */
export type LlmSimulatorSettings = Pick<LlmSimulatorOptions, 'latencyMs' | 'latency' | 'faults' | 'faultRate' | 'faultLimit' | 'retryAfterS' | 'serverErrorStatuses' | 'agentScript' | 'agentScripts'>;
export const SETTING_NAMES: ReadonlyArray<keyof LlmSimulatorSettings> = ['latencyMs', 'latency', 'faults', 'faultRate', 'faultLimit', 'retryAfterS', 'serverErrorStatuses', 'agentScript', 'agentScripts'];

/** The checked form of the settings. */
export interface RuntimeSettings {
  latency: LatencySpec;
  faults: FaultSettings;
  agent: AgentSettings;
}

export interface SimulatorConfig {
  port: number;
  host: string;
  seed: number;
  settings: RuntimeSettings;
  rateLimit: RateLimit | null;
  fixtures: Fixtures;
  recordPath: string | null;
}

export const DEFAULT_SETTINGS: RuntimeSettings = {
  latency: { kind: 'fixed', ms: 0 },
  faults: { faults: [], faultRate: 1, faultLimit: 0, retryAfterS: DEFAULT_RETRY_AFTER_S, serverErrorStatuses: DEFAULT_SERVER_ERROR_STATUSES },
  agent: NO_AGENT,
};

function resolveAgent(opts: LlmSimulatorSettings, current: AgentSettings): AgentSettings {
  const expected = `use one of ${AGENT_SCRIPTS.join(', ')}`;
  if (opts.agentScript !== undefined && opts.agentScript !== null && !isAgentScript(opts.agentScript)) {
    throw new LlmSimulatorConfigError('agentScript', opts.agentScript, `${expected}, or null for none`);
  }
  if (opts.agentScripts !== undefined) {
    if (typeof opts.agentScripts !== 'object' || opts.agentScripts === null || Array.isArray(opts.agentScripts)) {
      throw new LlmSimulatorConfigError('agentScripts', opts.agentScripts, 'use an object from a text found in the record to a script name');
    }
    for (const [text, script] of Object.entries(opts.agentScripts)) {
      if (text === '' || !isAgentScript(script)) throw new LlmSimulatorConfigError(`agentScripts.${text}`, script, text === '' ? 'use a text that is not empty' : expected);
    }
  }
  return {
    script: opts.agentScript === undefined ? current.script : opts.agentScript,
    scriptsByText: opts.agentScripts === undefined ? current.scriptsByText : { ...opts.agentScripts },
  };
}

export const DEFAULT_SEED = 1;
export const DEFAULT_HOST = '127.0.0.1';
// A window of more than a day is a typo; providers count per minute.
const RATE_WINDOW_MAX_MS = 24 * 60 * 60 * 1000;

function checked<T>(option: string, value: unknown, parsed: T | string, expected?: string): T {
  if (typeof parsed === 'string') throw new LlmSimulatorConfigError(option, value, expected ?? parsed);
  return parsed;
}

function resolveLatency(opts: LlmSimulatorSettings, current: LatencySpec): LatencySpec {
  if (opts.latencyMs !== undefined && opts.latency !== undefined) {
    throw new LlmSimulatorConfigError('latencyMs', opts.latencyMs, 'give latencyMs or latency, not both');
  }
  if (opts.latencyMs !== undefined) {
    const ms = opts.latencyMs;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > LATENCY_MAX_MS) throw new LlmSimulatorConfigError('latencyMs', ms, `use 0 to ${LATENCY_MAX_MS} milliseconds`);
    return { kind: 'fixed', ms };
  }
  if (opts.latency === undefined) return current;
  if (typeof opts.latency === 'string') {
    const parsed = parseLatencySpec(opts.latency);
    return checked('latency', opts.latency, parsed, typeof parsed === 'string' ? `${parsed}; use ${LATENCY_SPEC_SYNTAX}` : undefined);
  }
  const problem = latencySpecProblem(opts.latency);
  if (problem !== null) throw new LlmSimulatorConfigError('latency', opts.latency, problem);
  return opts.latency;
}

/** `current` with the settings that `opts` gives replaced, every one checked. */
export function resolveSettings(opts: LlmSimulatorSettings, current: RuntimeSettings = DEFAULT_SETTINGS): RuntimeSettings {
  const base = current.faults;
  return {
    agent: resolveAgent(opts, current.agent),
    latency: resolveLatency(opts, current.latency),
    faults: {
      faults: opts.faults === undefined ? base.faults : checked('faults', opts.faults, parseFaultList(opts.faults)),
      faultRate: opts.faultRate === undefined ? base.faultRate : checked('faultRate', opts.faultRate, parseFaultRate(opts.faultRate)),
      faultLimit: opts.faultLimit === undefined ? base.faultLimit : checked('faultLimit', opts.faultLimit, parseFaultLimit(opts.faultLimit)),
      retryAfterS: opts.retryAfterS === undefined ? base.retryAfterS : checked('retryAfterS', opts.retryAfterS, parseRetryAfter(opts.retryAfterS)),
      serverErrorStatuses: opts.serverErrorStatuses === undefined
        ? base.serverErrorStatuses
        : checked('serverErrorStatuses', opts.serverErrorStatuses, parseServerErrorStatuses(opts.serverErrorStatuses)),
    },
  };
}

function resolveRateLimit(options: RateLimitOptions | undefined): RateLimit | null {
  if (options === undefined) return null;
  const positive = (name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): number | null => {
    if (value === undefined) return null;
    if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new LlmSimulatorConfigError(`rateLimit.${name}`, value, `use a whole number from 1 to ${max}`);
    return value;
  };
  const limit: RateLimit = {
    requestsPerWindow: positive('requestsPerWindow', options.requestsPerWindow),
    tokensPerWindow: positive('tokensPerWindow', options.tokensPerWindow),
    windowMs: positive('windowMs', options.windowMs, RATE_WINDOW_MAX_MS) ?? DEFAULT_RATE_WINDOW_MS,
  };
  if (limit.requestsPerWindow === null && limit.tokensPerWindow === null) {
    throw new LlmSimulatorConfigError('rateLimit', options, 'set requestsPerWindow, tokensPerWindow or both (or leave rateLimit out)');
  }
  return limit;
}

/** Checks every option and loads the fixtures; throws LlmSimulatorConfigError or LlmSimulatorFixtureError. */
export async function resolveOptions(opts: LlmSimulatorOptions): Promise<SimulatorConfig> {
  const port = opts.port ?? 0;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LlmSimulatorConfigError('port', port, 'use 0 (any free port) to 65535');
  if (!Number.isSafeInteger(seed)) throw new LlmSimulatorConfigError('seed', seed, 'use a whole number');
  if (opts.record !== undefined && (typeof opts.record !== 'string' || opts.record === '')) {
    throw new LlmSimulatorConfigError('record', opts.record, 'use the path of the fixtures file to write');
  }
  return {
    port,
    seed,
    host: opts.host ?? DEFAULT_HOST,
    settings: resolveSettings(opts),
    rateLimit: resolveRateLimit(opts.rateLimit),
    fixtures: opts.fixtures === undefined ? {} : await loadFixtures(opts.fixtures),
    recordPath: opts.record ?? null,
  };
}
