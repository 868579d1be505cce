// The faults a chaos run injects, and their seeded schedule: each kind `rounds` times, in a shuffled
// order, each due once a given share of the runs has closed, so every fault lands while work is
// under way. Faults run one at a time; the next waits for the previous to recover.
import type { Rng } from './rng';

export const FAULT_KINDS = [
  'bridge-sigkill',
  'worker-sigkill',
  'temporal-restart',
  'kafka-restart',
  'postgres-restart',
  'llm-429-storm',
  'llm-latency-spike',
  'booking-api-failures',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  readonly kind: FaultKind;
  /** Due once this share of the expected per-record runs has closed. */
  readonly atClosedShare: number;
  /** Which bridge or worker (0 or 1) a SIGKILL hits. */
  readonly target: number;
}

export interface FiredFault {
  readonly kind: FaultKind;
  readonly target: number;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly fired: boolean;
  /** What shows it fired (an exit signal, a new pid, a counter). */
  readonly evidence: string;
}

const FIRST_SHARE = 0.05;
const LAST_SHARE = 0.85;

export function faultSchedule(rounds: number, rng: Rng, kinds: readonly FaultKind[] = FAULT_KINDS): ScheduledFault[] {
  const order: FaultKind[] = [];
  for (let r = 0; r < rounds; r++) {
    const round = [...kinds];
    for (let i = round.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [round[i], round[j]] = [round[j], round[i]];
    }
    order.push(...round);
  }
  const step = (LAST_SHARE - FIRST_SHARE) / Math.max(1, order.length - 1);
  return order.map((kind, i) => ({ kind, atClosedShare: FIRST_SHARE + i * step, target: rng.int(2) }));
}
