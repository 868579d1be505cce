// Seeded pseudo-random numbers for the LLM simulator. Every answer draws from a generator keyed by
// (seed, call number): two calls with the same prompt differ, and a run with the same seed and the
// same sequence of calls repeats itself exactly, which is what makes the demo reproducible.
// Faults and latencies draw from a second stream per call, so switching them on or off never
// changes what the answers say.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

// mulberry32: a tiny 32-bit generator, plenty for test data and fast enough to make per call.
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mixes seed and call number through a hash finaliser so that neighbouring seeds and neighbouring
// calls give unrelated streams (seed 1 call 2 must not replay seed 2 call 1).
function mixSeed(seed: number, callNumber: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ (callNumber >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Independent random streams of one call; `answers` is the original one and must stay stream 0. */
export const RNG_STREAMS = { answers: 0, faults: 1 } as const;
export type RngStream = keyof typeof RNG_STREAMS;

// Stream 0 keeps the seed as it is, so answers drawn before streams existed repeat exactly; other
// streams hash the seed with their index first.
const STREAM_SALT = 0x5f3759df;

export function createRng(seed: number, callNumber: number, stream: RngStream = 'answers'): Rng {
  const index = RNG_STREAMS[stream];
  const streamSeed = index === 0 ? seed : mixSeed(seed ^ STREAM_SALT, index);
  const next = mulberry32(mixSeed(streamSeed, callNumber));
  const int = (min: number, max: number): number => {
    const lo = Math.ceil(Math.min(min, max));
    const hi = Math.floor(Math.max(min, max));
    // The clamp guards wide ranges, where float rounding could step one past `hi`.
    return Math.min(hi, lo + Math.floor(next() * (hi - lo + 1)));
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('Rng.pick needs a non-empty list');
      return items[int(0, items.length - 1)];
    },
    chance: (p: number) => next() < p,
  };
}
