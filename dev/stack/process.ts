// Long-running service processes (Kafka, Temporal): output straight into a log file, registered so
// they die with this process, and a stop() that escalates from SIGTERM to SIGKILL.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { track } from './child-registry';

/** Long enough for Kafka's controlled shutdown on two busy cores; after it the process is killed. */
export const DEFAULT_STOP_GRACE_MS = 15_000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited, however that happened. */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once it happened; undefined while running. */
  exitInfo(): ExitInfo | undefined;
  /** SIGTERM, then SIGKILL after the grace period; resolves on exit. Safe to call many times. */
  stop(): Promise<ExitInfo>;
}

export interface SpawnServiceOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stopGraceMs?: number;
}

export async function spawnService(options: SpawnServiceOptions): Promise<ServiceProcess> {
  const { name, command, args, logFile, cwd, env, stopGraceMs = DEFAULT_STOP_GRACE_MS } = options;
  mkdirSync(path.dirname(logFile), { recursive: true });
  // The child writes to the file itself (no pipe through Node), so its log keeps flowing even while
  // this event loop is busy, and a restart appends to the same file.
  const fd = openSync(logFile, 'a');
  let child;
  try {
    // detached: its own process group, so Ctrl-C in a terminal reaches only us and we stop the
    // services in order, and a group kill also reaches anything the service forks.
    child = spawn(command, args, { cwd, env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  let exit: ExitInfo | undefined;
  let untrack = (): void => undefined;
  // Listened to before anything is awaited, so even an instant exit is seen.
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      untrack();
      resolve(exit);
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start ${name} (${command}): ${error.message}`, { cause: error })));
  });
  const pid = child.pid as number;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };

  let stopping: Promise<ExitInfo> | undefined;
  const stop = (): Promise<ExitInfo> => {
    if (exit) return Promise.resolve(exit);
    stopping ??= (async () => {
      signalGroup('SIGTERM');
      const escalation = setTimeout(() => signalGroup('SIGKILL'), stopGraceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(escalation);
      }
    })();
    return stopping;
  };

  if (!exit) {
    untrack = track({
      name,
      pid: () => (exit ? undefined : pid),
      stop: async () => {
        await stop();
      },
      killNow: () => signalGroup('SIGKILL'),
    });
  }

  return { name, pid, logFile, exited, exitInfo: () => exit, stop };
}
