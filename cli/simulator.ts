// `kta simulator [flags]`: the LLM simulator on its own (test and demo infrastructure, not a model).
// Flags are the standalone simulator's (dev/llm-simulator/README.md); the port defaults to 8787,
// the LLM_BASE_URL default, so `kta worker` finds it with no configuration.
import { startLlmSimulator } from '../dev/llm-simulator/server';
import { isHelpRequest, parseStandaloneOptions, standaloneFlagLines } from '../dev/llm-simulator/standalone-options';

export const DEFAULT_SIMULATOR_PORT = 8787;

// Commander's own help is off for this command (its flags are the simulator's), so it answers --help here.
function printHelp(): void {
  console.log([
    'Usage: kta simulator [flags]',
    `Runs the LLM simulator (test and demo infrastructure, not a model) on port ${DEFAULT_SIMULATOR_PORT} unless --port says otherwise.`,
    'Each flag can also be set by its variable (the flag wins):',
    ...standaloneFlagLines(),
    'Faults, latency specs and fixtures: scripts/llm-simulator/README.md',
  ].join('\n'));
}

export async function simulatorCommand(args: string[]): Promise<void> {
  if (isHelpRequest(args)) {
    printHelp();
    return;
  }
  const options = parseStandaloneOptions(args, process.env);
  const sim = await startLlmSimulator({ ...options, port: args.includes('--port') || process.env.LLM_SIMULATOR_PORT ? options.port : DEFAULT_SIMULATOR_PORT });
  console.log(`LLM simulator (not a model) listening at ${sim.baseUrl}; set LLM_BASE_URL=${sim.baseUrl} (OpenAI wire format) or LLM_PROVIDER=anthropic LLM_BASE_URL=${sim.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
}
