// The chaos run's one source of randomness: a seeded generator (mulberry32), so a seed reproduces
// the records, the bad ones, the duplicates and the fault schedule.
import { mulberry32 } from '../dev/llm-simulator/prng';

export interface Rng {
  /** In [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRng(seed: number): Rng {
  const next = mulberry32(seed);
  return { next, int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] };
}
