// Bridge start-up that a stop can interrupt. Each step registers how to close what it opened; a
// SIGTERM while the bridge still starts (Temporal not up yet, a slow broker) or a failed step closes
// those, last first, so the process ends cleanly instead of dying mid-way or hanging on a socket.
import { BridgeStartAbortedError } from '../errors';

export class StartUp {
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(readonly signal?: AbortSignal) {}

  get stopping(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Throws BridgeStartAbortedError once a stop was asked for; called between steps. */
  check(): void {
    if (this.stopping) throw new BridgeStartAbortedError(String(this.signal?.reason ?? 'a stop request'));
  }

  /** Records how to close what a step opened, then checks for a stop. */
  opened<T>(resource: T, close: (resource: T) => Promise<unknown>): T {
    this.closers.push(() => close(resource));
    this.check();
    return resource;
  }

  /** Closes what was opened, last first, and rethrows; a step that failed because of the stop is the stop. */
  async unwind(err: unknown): Promise<never> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    this.closers.length = 0;
    this.check();
    throw err;
  }
}
