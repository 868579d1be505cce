// Standalone LLM simulator: `tsx dev/llm-simulator/main.ts [--port N] [--seed N]
// [--latency-ms N | --latency SPEC] [--faults a,b] [--fault-rate P] [--fault-limit N] [--retry-after-s N|none]
// [--server-error-status 500,503] [--rate-limit-requests N] [--rate-limit-tokens N]
// [--rate-limit-window-ms N] [--fixtures FILE] [--record FILE]`, or the LLM_SIMULATOR_* variables
// (see standalone-options.ts; flags win). Prints one line with its URL once listening, so a parent
// process can wait for it, and closes on SIGINT/SIGTERM (writing the recording, if any).
import { startLlmSimulator } from './server';
import { parseStandaloneOptions } from './standalone-options';

async function main(): Promise<void> {
  const options = parseStandaloneOptions(process.argv.slice(2), process.env);
  const simulator = await startLlmSimulator(options);
  const latency = options.latency ?? `${options.latencyMs ?? 0} ms`;
  const faults = options.faults ? `, faults ${String(options.faults)} at rate ${options.faultRate ?? 1}` : '';
  console.log(
    `LLM simulator listening on ${simulator.url} (OpenAI baseURL ${simulator.baseUrl}, Anthropic baseURL ${simulator.url}, seed ${simulator.seed()}, latency ${typeof latency === 'string' ? latency : JSON.stringify(latency)}${faults})`,
  );

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
