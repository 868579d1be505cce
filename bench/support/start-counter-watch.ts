// Watches a bridge's start counter (/stats) until it reaches a target, noting when starts were first
// seen and when the target was reached, with the CPU the bridge and the Temporal server used between
// those two moments.
import type { BenchBridge, BridgeStats } from './bridge-services';
import { machineBusyCpuMs, processCpuMs } from './process-cpu';

export interface StartCounterWindow {
  readonly reached: boolean;
  /** performance.now() of the first poll that saw a start, and the count it saw. */
  readonly firstSeenAtMs: number;
  readonly startsAtFirstSeen: number;
  /** performance.now() of the first poll that saw `target` starts (or of the last poll). */
  readonly doneAtMs: number;
  readonly stats: BridgeStats;
  readonly bridgeCpuMs: number;
  readonly temporalCpuMs: number;
  /** Busy CPU of the whole machine (every process, other load included). */
  readonly machineBusyCpuMs: number;
}

export async function watchStartCounter(
  bridge: BenchBridge,
  temporalPid: number,
  target: number,
  { pollIntervalMs, budgetMs }: { pollIntervalMs: number; budgetMs: number },
): Promise<StartCounterWindow> {
  const deadline = performance.now() + budgetMs;
  let first: { atMs: number; starts: number; bridgeCpuMs: number; temporalCpuMs: number; machineBusyCpuMs: number } | undefined;
  for (;;) {
    const stats = await bridge.stats().catch(() => undefined); // not listening yet while it boots
    const atMs = performance.now();
    if (stats && stats.starts > 0 && !first) {
      first = { atMs, starts: stats.starts, bridgeCpuMs: processCpuMs(bridge.pid), temporalCpuMs: processCpuMs(temporalPid), machineBusyCpuMs: machineBusyCpuMs() };
    }
    const reached = (stats?.starts ?? 0) >= target;
    if (stats && first && (reached || atMs >= deadline)) {
      return {
        reached,
        firstSeenAtMs: first.atMs,
        startsAtFirstSeen: first.starts,
        doneAtMs: atMs,
        stats,
        bridgeCpuMs: processCpuMs(bridge.pid) - first.bridgeCpuMs,
        temporalCpuMs: processCpuMs(temporalPid) - first.temporalCpuMs,
        machineBusyCpuMs: machineBusyCpuMs() - first.machineBusyCpuMs,
      };
    }
    if (atMs >= deadline) throw new Error(`bridge ${bridge.logFile} made no start within ${budgetMs} ms`);
    if (!bridge.isAlive()) throw new Error(`bridge exited before ${target} starts; see ${bridge.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}
