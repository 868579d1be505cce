// bench/llm-limiter: the gateway's token limiter against the LLM simulator at a fixed latency.
// Figures, all measured in this run:
// - tokensPerWindowRatio: tokens the simulator received per window, over the saturated windows, as a
//   ratio of the limit L (goal 0.9 to 1.0), and the busiest sliding window's ratio (must stay <= 1);
// - addedLatencyRatio: the gateway's added latency per call (limiter, validation, recording shape)
//   over a direct provider call, as a ratio of the simulator's fixed latency.
import { agentTables } from '../agents/tables';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createGatewayActivities, type CallModelInput } from '../activities/llm/gateway';
import { TokenLimiter } from '../activities/llm/limiter/token-limiter';
import { createOpenAiProvider } from '../activities/llm/openai-provider';
import { ensureSchema } from '../activities/sinks/schema';
import { reviewTagsPrompt } from '../agents/review-tagger/prompts';
import { startLlmSimulator } from '../dev/llm-simulator/server';
import { startPostgres } from '../dev/stack';
import { createPool, stderrPoolLog } from '../lib/pg-pool';

const SIM_LATENCY_MS = 100;
const LATENCY_CALLS = 40;
const TOKENS_PER_WINDOW = 4_000;
const WINDOW_MS = 5_000;
const SATURATION_WINDOWS = 6;
const CONCURRENT_CALLERS = 8;
const MAX_OUTPUT_TOKENS = 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'kta-bench-limiter-'));
  const postgres = process.env.DATABASE_URL ? undefined : await startPostgres({ logFile: join(dir, 'postgres.log') });
  const pool = createPool(process.env.DATABASE_URL ?? postgres!.url, stderrPoolLog, { name: 'bench', max: 16 });
  const sim = await startLlmSimulator({ port: 0, seed: 11, latencyMs: SIM_LATENCY_MS });
  try {
    await ensureSchema(pool, agentTables());
    const model = `bench-${Date.now().toString(36)}`;
    const provider = createOpenAiProvider({ baseUrl: sim.baseUrl, apiKey: 'simulator', model });
    const gatewayFor = (limits: { tokensPerWindow: number; windowMs: number }) =>
      createGatewayActivities({
        provider,
        limiter: new TokenLimiter(pool, { ...limits, requestsPerWindow: 0 }),
        maxOutputTokens: MAX_OUTPUT_TOKENS,
        requestTimeoutMs: 30_000,
        maxLimiterWaitMs: 120_000,
      });
    const input = (i: number): CallModelInput => ({
      task: 'review_tags',
      messages: reviewTagsPrompt({ reviewId: `r${i}`, text: `Review ${i}: the strap broke after a week but support replaced it quickly. `.repeat(3) }),
      output: 'json',
      attempt: 1,
    });
    // One activity context per call, as a worker gives; long attempts, since the gateway bounds its
    // limiter wait by the attempt's start-to-close.
    const env = { run: <A extends unknown[], R>(fn: (...a: A) => Promise<R>, ...args: A) =>
      new MockActivityEnvironment({ startToCloseTimeoutMs: 600_000, currentAttemptScheduledTimestampMs: Date.now() }).run(fn, ...args) };

    // Added latency: direct provider calls vs gateway calls (limiter configured but never full), interleaved.
    const unlimited = gatewayFor({ tokensPerWindow: 10_000_000, windowMs: 60_000 });
    const direct: number[] = [];
    const gateway: number[] = [];
    for (let i = 0; i < LATENCY_CALLS; i++) {
      const req = input(i);
      let t = performance.now();
      await provider.complete({ messages: req.messages, output: { kind: 'text' }, maxOutputTokens: MAX_OUTPUT_TOKENS, timeoutMs: 30_000 });
      direct.push(performance.now() - t);
      t = performance.now();
      await env.run(unlimited.callModel, req);
      gateway.push(performance.now() - t);
    }
    const addedMs = median(gateway) - median(direct);

    // Saturation: callers keep calling through a limited gateway for several windows.
    sim.reset();
    const limited = gatewayFor({ tokensPerWindow: TOKENS_PER_WINDOW, windowMs: WINDOW_MS });
    const deadline = Date.now() + SATURATION_WINDOWS * WINDOW_MS;
    let n = 0;
    await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, async () => {
      while (Date.now() < deadline) await env.run(limited.callModel, input(n++));
    }));
    const requests = sim.requests().filter((r) => r.status === 200);
    const tokens = (r: (typeof requests)[number]) => (r.usage?.promptTokens ?? 0) + (r.usage?.completionTokens ?? 0);
    const t0 = requests[0].receivedAtMs;
    const fullWindows = Math.floor((requests[requests.length - 1].receivedAtMs - t0) / WINDOW_MS);
    const inFull = requests.filter((r) => r.receivedAtMs < t0 + fullWindows * WINDOW_MS).reduce((s, r) => s + tokens(r), 0);
    let busiest = 0;
    for (const first of requests) {
      busiest = Math.max(busiest, requests.filter((r) => r.receivedAtMs >= first.receivedAtMs && r.receivedAtMs < first.receivedAtMs + WINDOW_MS).reduce((s, r) => s + tokens(r), 0));
    }
    return {
      simulatorLatencyMs: SIM_LATENCY_MS,
      directMedianMs: Number(median(direct).toFixed(1)),
      gatewayMedianMs: Number(median(gateway).toFixed(1)),
      addedLatencyMs: Number(addedMs.toFixed(1)),
      addedLatencyRatio: Number((addedMs / SIM_LATENCY_MS).toFixed(3)),
      tokensPerWindowLimit: TOKENS_PER_WINDOW,
      windowMs: WINDOW_MS,
      saturatedWindows: fullWindows,
      callsInSaturation: requests.length,
      tokensPerWindowAchieved: Math.round(inFull / Math.max(1, fullWindows)),
      tokensPerWindowRatio: Number((inFull / Math.max(1, fullWindows) / TOKENS_PER_WINDOW).toFixed(3)),
      busiestSlidingWindowRatio: Number((busiest / TOKENS_PER_WINDOW).toFixed(3)),
    };
  } finally {
    await sim.close();
    await pool.end();
    await postgres?.stop();
  }
}
