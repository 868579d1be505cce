// Standalone LLM simulator: `tsx scripts/llm-simulator/main.ts [--port N] [--seed N] [--latency-ms N]`
// (or LLM_SIMULATOR_PORT, LLM_SIMULATOR_SEED, LLM_SIMULATOR_LATENCY_MS; flags win). Prints one line
// with its URL once listening, so a parent process can wait for it, and closes on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { LlmSimulatorConfigError } from './errors';
import { startLlmSimulator } from './server';

// A fixed port so the demo's configuration can name the simulator; tests pass --port 0.
const DEFAULT_STANDALONE_PORT = 8790;

function numberOption(flag: string, flagValue: string | undefined, envName: string): number | undefined {
  const raw = flagValue ?? process.env[envName];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new LlmSimulatorConfigError(flagValue === undefined ? envName : `--${flag}`, raw, 'use a number');
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, seed: { type: 'string' }, 'latency-ms': { type: 'string' } },
    strict: true,
  });
  const latencyMs = numberOption('latency-ms', values['latency-ms'], 'LLM_SIMULATOR_LATENCY_MS') ?? 0;
  const simulator = await startLlmSimulator({
    port: numberOption('port', values.port, 'LLM_SIMULATOR_PORT') ?? DEFAULT_STANDALONE_PORT,
    seed: numberOption('seed', values.seed, 'LLM_SIMULATOR_SEED'),
    latencyMs,
  });
  console.log(`LLM simulator listening on ${simulator.url} (OpenAI baseURL ${simulator.baseUrl}, seed ${simulator.seed()}, latency ${latencyMs} ms)`);

  const stop = (signal: NodeJS.Signals): void => {
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`llm-simulator: close after ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
