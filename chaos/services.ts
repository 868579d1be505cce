// The product processes of a chaos run, as real children (`kta bridge`, `kta worker`, `kta relay`):
// two bridges in one consumer group, two workers on one task queue, one outbox relay. A process the
// run did not kill and that exits anyway is restarted and counted (an unplanned exit is a finding).
import { readFileSync } from 'node:fs';
import { startService, type ServiceProcess } from '../lib/service-process';

export type Role = 'bridge' | 'worker' | 'relay';

interface Slot {
  readonly role: Role;
  readonly index: number;
  proc: ServiceProcess;
  generation: number;
  killedOnPurpose: boolean;
}

export interface ChaosServices {
  /** SIGKILLs the role's process at `index` and starts a fresh one; resolves with how it ended. */
  killAndRestart(role: Role, index: number): Promise<{ signal: NodeJS.Signals | null; oldPid: number; newPid: number }>;
  /** The bridge's count of workflows started (its /metrics), or undefined when it cannot be read. */
  bridgeStarts(index: number, timeoutMs?: number): Promise<number | undefined>;
  pids(role: Role): number[];
  /** Resident set size now, in bytes, per live process of the role. */
  rss(role: Role): number[];
  readonly unplannedExits: Record<Role, number>;
  stop(): Promise<void>;
}

/** VmRSS of a live process, from /proc; undefined once it has exited. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `bridgeMetricsPorts`: one port per bridge slot (a restarted bridge takes its slot's port again), on
 * which the fault injector reads the bridge's own counters.
 */
export function startChaosServices(envs: Record<Role, Record<string, string>>, counts: Record<Role, number>, logDir: string, log: (line: string) => void, bridgeMetricsPorts: readonly number[] = []): ChaosServices {
  const unplannedExits: Record<Role, number> = { bridge: 0, worker: 0, relay: 0 };
  let stopping = false;
  const slots: Slot[] = [];
  const launch = (slot: Slot) => {
    // A kill that ends after stop() began (a Ctrl-C mid-fault) brings nothing back: it would outlive the run.
    if (stopping) return;
    slot.generation += 1;
    slot.killedOnPurpose = false;
    const port = slot.role === 'bridge' ? bridgeMetricsPorts[slot.index] : undefined;
    const env = port === undefined ? envs[slot.role] : { ...envs[slot.role], METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' };
    slot.proc = startService(slot.role, env, logDir, `${slot.role}-${slot.index}-${slot.generation}`);
    const proc = slot.proc;
    void proc.exited.then((exit) => {
      if (stopping || slot.killedOnPurpose || slot.proc !== proc) return;
      unplannedExits[slot.role] += 1;
      log(`${slot.role} ${slot.index} (pid ${proc.pid}) exited unplanned (code ${exit.code}, signal ${exit.signal}); restarting it (log ${proc.logFile})`);
      launch(slot);
    });
  };
  for (const role of ['bridge', 'worker', 'relay'] as const) {
    for (let index = 0; index < counts[role]; index++) {
      const slot = { role, index, generation: 0, killedOnPurpose: false } as Slot;
      launch(slot);
      slots.push(slot);
    }
  }
  const of = (role: Role) => slots.filter((s) => s.role === role);
  return {
    unplannedExits,
    async killAndRestart(role, index) {
      const slot = of(role)[index % of(role).length];
      const old = slot.proc;
      slot.killedOnPurpose = true;
      const exit = await old.stop('SIGKILL');
      launch(slot);
      return { signal: exit.signal, oldPid: old.pid, newPid: slot.proc.pid };
    },
    async bridgeStarts(index, timeoutMs = 1_000) {
      const port = bridgeMetricsPorts[index % Math.max(1, bridgeMetricsPorts.length)];
      if (port === undefined) return undefined;
      try {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(timeoutMs) })).text();
        return text.split('\n').filter((l) => l.startsWith('kta_bridge_workflow_starts_total')).reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      } catch {
        return undefined;
      }
    },
    pids: (role) => of(role).map((s) => s.proc.pid),
    rss: (role) => of(role).flatMap((s) => (s.proc.isAlive() ? [rssBytes(s.proc.pid) ?? 0] : [])).filter((b) => b > 0),
    async stop() {
      stopping = true;
      await Promise.allSettled(slots.map((s) => s.proc.stop('SIGTERM')));
    },
  };
}
