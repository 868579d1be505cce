// `kta simulator`: the LLM simulator on its own (test and demo infrastructure, not a model).
import { startLlmSimulator } from '../scripts/llm-simulator/server';

export async function simulatorCommand(opts: { port: number; seed: number; latencyMs: number }): Promise<void> {
  const sim = await startLlmSimulator({ port: opts.port, seed: opts.seed, latencyMs: opts.latencyMs });
  console.log(`LLM simulator listening at ${sim.baseUrl} (seed ${opts.seed}, latency ${opts.latencyMs} ms); set LLM_BASE_URL=${sim.baseUrl}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.close();
}
