// The mutable state of one simulator: its seed and settings, the two counters that advance the
// random streams (every call for faults and latency, every generated answer for content), the
// count of limited faults served, the ledger, the rate limiter's window, the fixture cursors and
// recording, and the signal that ends pending calls on close.
import { setMaxListeners } from 'node:events';
import { FixtureRecorder } from './fixture-recorder';
import { FixtureBook } from './fixtures';
import { createRng, type Rng } from './prng';
import { RateLimiter } from './rate-limiter';
import type { RuntimeSettings, SimulatorConfig } from './simulator-options';
import { CallLedger } from './stats';

export class SimulatorState {
  readonly ledger = new CallLedger();
  readonly closing = new AbortController();
  readonly limiter: RateLimiter | null;
  readonly fixtures: FixtureBook;
  readonly recorder: FixtureRecorder | null;
  private currentSeed: number;
  private currentSettings: RuntimeSettings;
  private nextCallNumber = 0;
  private nextAnswerNumber = 0;
  private limitedFaults = 0;

  constructor(config: SimulatorConfig) {
    // Every open request listens on the closing signal and stops listening when it ends; a busy
    // simulator has far more than the default ten at once, and that is not a leak.
    setMaxListeners(0, this.closing.signal);
    this.currentSeed = config.seed;
    this.currentSettings = config.settings;
    this.limiter = config.rateLimit ? new RateLimiter(config.rateLimit) : null;
    this.fixtures = new FixtureBook(config.fixtures);
    this.recorder = config.recordPath === null ? null : new FixtureRecorder(config.recordPath);
  }

  get seed(): number {
    return this.currentSeed;
  }

  get settings(): RuntimeSettings {
    return this.currentSettings;
  }

  /** Configured faults served under `faultLimit` since start, reset or configure. */
  get limitedFaultsServed(): number {
    return this.limitedFaults;
  }

  countLimitedFault(): void {
    this.limitedFaults += 1;
  }

  /** New settings from now on; the fault limit counts again from zero. */
  configure(settings: RuntimeSettings): void {
    this.currentSettings = settings;
    this.limitedFaults = 0;
  }

  /**
   * Numbers a call in arrival order and gives it its fault stream (fault, latency, what a fault
   * breaks). The same seed and the same sequence of calls give the same faults, whatever the timing.
   */
  takeCall(): { callNumber: number; rng: Rng } {
    const callNumber = this.nextCallNumber;
    this.nextCallNumber += 1;
    return { callNumber, rng: createRng(this.currentSeed, callNumber, 'faults') };
  }

  /**
   * Numbers a generated answer and gives it its answer stream. Only clean generated answers take
   * a number, so faults and fixtures never shift the answers of the calls after them: with faults
   * off this is the call number, and a retried call gets the answer the faulted one would have had.
   */
  takeAnswer(): { answerNumber: number; rng: Rng } {
    const answerNumber = this.nextAnswerNumber;
    this.nextAnswerNumber += 1;
    return { answerNumber, rng: createRng(this.currentSeed, answerNumber, 'answers') };
  }

  /**
   * Zeroes counters, request log, call sequences, the fault limit's count, the rate window and
   * fixture cursors; re-seeds when a seed is given. Settings stay as they are.
   */
  reset(seed?: number): void {
    if (seed !== undefined) this.currentSeed = seed;
    this.nextCallNumber = 0;
    this.nextAnswerNumber = 0;
    this.limitedFaults = 0;
    this.ledger.reset();
    this.limiter?.reset();
    this.fixtures.reset();
  }
}
