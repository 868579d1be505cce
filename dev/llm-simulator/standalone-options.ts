// Flags and environment variables of the standalone simulator, turned into the options of
// `startLlmSimulator` (which checks them). A flag wins over its variable; every flag has one.
import { parseArgs } from 'node:util';
import { LlmSimulatorConfigError, LlmSimulatorUsageError } from './errors';
import type { LlmSimulatorOptions } from './simulator-options';

// A fixed port so the demo's configuration can name the simulator; tests pass --port 0.
export const DEFAULT_STANDALONE_PORT = 8790;

// flag -> environment variable
const SETTINGS = {
  port: 'LLM_SIMULATOR_PORT',
  seed: 'LLM_SIMULATOR_SEED',
  'latency-ms': 'LLM_SIMULATOR_LATENCY_MS',
  latency: 'LLM_SIMULATOR_LATENCY',
  faults: 'LLM_SIMULATOR_FAULTS',
  'fault-rate': 'LLM_SIMULATOR_FAULT_RATE',
  'fault-limit': 'LLM_SIMULATOR_FAULT_LIMIT',
  'retry-after-s': 'LLM_SIMULATOR_RETRY_AFTER_S',
  'server-error-status': 'LLM_SIMULATOR_SERVER_ERROR_STATUS',
  'rate-limit-requests': 'LLM_SIMULATOR_RATE_LIMIT_REQUESTS',
  'rate-limit-tokens': 'LLM_SIMULATOR_RATE_LIMIT_TOKENS',
  'rate-limit-window-ms': 'LLM_SIMULATOR_RATE_LIMIT_WINDOW_MS',
  fixtures: 'LLM_SIMULATOR_FIXTURES',
  record: 'LLM_SIMULATOR_RECORD',
  'agent-script': 'LLM_SIMULATOR_AGENT_SCRIPT',
} as const;
type Setting = keyof typeof SETTINGS;

export const STANDALONE_ENV_VARS: readonly string[] = Object.values(SETTINGS);

/** One line per flag with its variable, for `--help` and for the message of a flag not known. */
export const standaloneFlagLines = (): string[] => Object.entries(SETTINGS).map(([flag, variable]) => `  --${flag} <value>`.padEnd(34) + variable);

export const isHelpRequest = (argv: readonly string[]): boolean => argv.some((a) => a === '--help' || a === '-h');

export function parseStandaloneOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LlmSimulatorOptions {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(Object.keys(SETTINGS).map((flag) => [flag, { type: 'string' as const }])),
      strict: true,
    }));
  } catch (err) {
    // node:util reports an unknown flag, a flag without its value or a stray argument; say which flags there are.
    throw new LlmSimulatorUsageError((err as Error).message.split('\n')[0], { cause: err });
  }
  const raw = (setting: Setting): { text: string; source: string } | undefined => {
    const flagValue = values[setting];
    if (typeof flagValue === 'string') return { text: flagValue, source: `--${setting}` };
    const envValue = env[SETTINGS[setting]];
    return envValue === undefined || envValue === '' ? undefined : { text: envValue, source: SETTINGS[setting] };
  };
  const text = (setting: Setting): string | undefined => raw(setting)?.text;
  const number = (setting: Setting): number | undefined => {
    const value = raw(setting);
    if (value === undefined) return undefined;
    const parsed = Number(value.text);
    if (value.text.trim() === '' || !Number.isFinite(parsed)) throw new LlmSimulatorConfigError(value.source, value.text, 'use a number');
    return parsed;
  };

  const retryAfter = text('retry-after-s');
  const statuses = text('server-error-status');
  const rateLimit = {
    requestsPerWindow: number('rate-limit-requests'),
    tokensPerWindow: number('rate-limit-tokens'),
    windowMs: number('rate-limit-window-ms'),
  };
  const options: LlmSimulatorOptions = {
    port: number('port') ?? DEFAULT_STANDALONE_PORT,
    seed: number('seed'),
    latencyMs: number('latency-ms'),
    latency: text('latency'),
    faults: text('faults'),
    faultRate: number('fault-rate'),
    faultLimit: number('fault-limit'),
    retryAfterS: retryAfter === undefined ? undefined : retryAfter.trim() === 'none' ? null : number('retry-after-s'),
    serverErrorStatuses: statuses === undefined ? undefined : statuses.split(',').map((status) => Number(status.trim())),
    rateLimit: Object.values(rateLimit).some((value) => value !== undefined) ? rateLimit : undefined,
    fixtures: text('fixtures'),
    record: text('record'),
    // Checked against the script names by startLlmSimulator.
    agentScript: text('agent-script') as LlmSimulatorOptions['agentScript'],
  };
  // Unset options stay out, so the simulator's defaults apply.
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as LlmSimulatorOptions;
}
