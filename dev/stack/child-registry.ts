// Every service process the stack starts is registered here, so none outlives this process: a
// leftover Kafka or Temporal keeps its port and its data directory busy and breaks the next run.
import os from 'node:os';

export interface TrackedChild {
  readonly name: string;
  /** Current pid, or undefined once it has exited. */
  pid(): number | undefined;
  /** Graceful stop that resolves when the process has exited. Must be idempotent. */
  stop(): Promise<void>;
  /** Synchronous last resort, used from the 'exit' event where nothing async can run. */
  killNow(): void;
}

const tracked = new Set<TrackedChild>();
let handlersInstalled = false;
let stopping: Promise<void> | undefined;

/** Registers a child; returns the function that unregisters it (call it once it has exited). */
export function track(child: TrackedChild): () => void {
  installHandlers();
  tracked.add(child);
  return () => {
    tracked.delete(child);
  };
}

/** The children still registered: a clean shutdown leaves this empty. */
export function trackedChildren(): Array<{ name: string; pid: number | undefined }> {
  return [...tracked].map((c) => ({ name: c.name, pid: c.pid() }));
}

/** Stops every registered child in parallel (each escalates to SIGKILL after its own grace period). */
export function stopAllTracked(): Promise<void> {
  stopping ??= Promise.allSettled([...tracked].map((c) => c.stop())).then(() => {
    stopping = undefined;
  });
  return stopping;
}

function killAllNow(): void {
  for (const child of tracked) {
    try {
      child.killNow();
    } catch {
      // Already gone; nothing left to kill.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const exitCode = 128 + (os.constants.signals[signal] ?? 0);
  if (stopping) {
    // A second Ctrl-C while stopping means "now": do not make the user wait for grace periods.
    killAllNow();
    process.exit(exitCode);
  }
  // Listening for a signal switches off Node's default of exiting on it. When someone else listens
  // too (a command with its own graceful shutdown), the exit is theirs; otherwise restore the default
  // once the children are down. Counted now, while `once` listeners have not yet removed themselves
  // (this listener is prepended, so it runs first).
  const othersListen = process.listenerCount(signal) > 1;
  void stopAllTracked().then(() => {
    if (!othersListen) process.exit(exitCode);
  });
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' also fires after an uncaught exception or unhandled rejection, so crashes are covered
  // without a listener that would change how Node reports them.
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.prependListener(signal, onSignal);
}
