// Bounded readiness polling. Services are polled, never slept on: a fixed sleep is either too short
// on a busy two-core machine or wastes seconds on a fast one.
import net from 'node:net';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Checked around every attempt; throwing here ends the wait at once (a process that exited). */
  abortIf?: () => void | Promise<void>;
}

/**
 * Calls `check` until it returns true. Returns false when the time is up, so the caller can throw
 * an error that names its own service and log file.
 */
export async function pollUntil(check: () => Promise<boolean>, options: PollOptions): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    await options.abortIf?.();
    if (await check().catch(() => false)) return true;
    await options.abortIf?.();
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** True when a TCP connection to host:port is accepted within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
