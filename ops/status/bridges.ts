// A bridge's own state (paused topics, pauses by reason, starts) lives in its process; it serves it
// as JSON on /stats of its metrics server (METRICS_PORT). `kta status --bridge URL` reads it here.
import { z } from 'zod';
import { readWithin, type BridgeStats, type BridgeStatus } from './report';

const count = z.number().nonnegative();
const byReason = z.record(z.string(), count);
/** The fields of metricsSnapshot (bridge/metrics.ts) that status shows; a reply without them is not a kta bridge's. */
const bridgeStatsSchema = z.object({
  starts: count,
  duplicates: count,
  deadLetters: count,
  groupJoins: count,
  pausedTopics: count,
  pausesByReason: byReason,
  resumesByReason: byReason,
  modelSaturated: count,
} satisfies Record<keyof BridgeStats, z.ZodType>);

/** The /stats address of a bridge given as its metrics server's base URL (a path, if any, is replaced). */
const statsUrl = (base: string): string => new URL('/stats', base).toString();

export async function readBridge(url: string, timeoutMs: number): Promise<BridgeStatus> {
  const stats = await readWithin(`bridge ${url}`, timeoutMs, async (): Promise<BridgeStats> => {
    let response: Response;
    try {
      response = await fetch(statsUrl(url), { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      // fetch says only "fetch failed"; the cause says why (refused, unknown host).
      throw new Error(`${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}; is a bridge running with METRICS_PORT at this address?`);
    }
    const body = await response.text();
    if (!response.ok) throw new Error(`/stats answered HTTP ${response.status}: ${body.slice(0, 120)}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new Error(`/stats answered something that is not JSON: ${body.slice(0, 120)}`);
    }
    const parsed = bridgeStatsSchema.safeParse(json);
    if (!parsed.success) throw new Error(`/stats is not a kta bridge's (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
    return parsed.data;
  });
  return { url, stats };
}
