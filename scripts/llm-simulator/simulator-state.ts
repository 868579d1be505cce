// The mutable state of one simulator: its seed, the call counter that advances the random stream,
// the ledger, and the signal that ends pending latencies when it closes.
import { createRng, type Rng } from './prng';
import { CallLedger } from './stats';

export class SimulatorState {
  readonly ledger = new CallLedger();
  readonly closing = new AbortController();
  private nextCallNumber = 0;

  constructor(
    private currentSeed: number,
    readonly latencyMs: number,
  ) {}

  get seed(): number {
    return this.currentSeed;
  }

  /**
   * Numbers a call in arrival order and gives it its random stream. The same seed and the same
   * sequence of calls therefore give the same answers, whatever their latencies.
   */
  takeCall(): { callNumber: number; rng: Rng } {
    const callNumber = this.nextCallNumber;
    this.nextCallNumber += 1;
    return { callNumber, rng: createRng(this.currentSeed, callNumber) };
  }

  /** Zeroes the counters, the request log and the call sequence; re-seeds when a seed is given. */
  reset(seed?: number): void {
    if (seed !== undefined) this.currentSeed = seed;
    this.nextCallNumber = 0;
    this.ledger.reset();
  }
}
