// Numbers for the JSON schema generator. Values land in a "natural" window of 0..100 whenever the
// schema allows it: zod writes the full safe-integer range for `z.int()`, and a review score of
// 4503599627370496 would be valid but makes a useless demo.
import { UnsatisfiableSchemaError } from './errors';
import type { Rng } from './prng';

export interface NumberConstraints {
  integer: boolean;
  minimum?: number;
  maximum?: number;
  /** A number (draft 2020-12, what zod 4 writes) or a flag on `minimum` (draft 4). */
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
}

const NATURAL_MIN = 0;
const NATURAL_MAX = 100;
// Floats are rounded to this many decimals when the rounded value still fits (0.83, not 0.8312...).
const FLOAT_DECIMALS = 2;

interface Bounds { lo: number; hi: number; loOpen: boolean; hiOpen: boolean }

function bounds(c: NumberConstraints): Bounds {
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  let loOpen = false;
  let hiOpen = false;
  if (typeof c.minimum === 'number') { lo = c.minimum; loOpen = c.exclusiveMinimum === true; }
  if (typeof c.exclusiveMinimum === 'number' && c.exclusiveMinimum >= lo) { lo = c.exclusiveMinimum; loOpen = true; }
  if (typeof c.maximum === 'number') { hi = c.maximum; hiOpen = c.exclusiveMaximum === true; }
  if (typeof c.exclusiveMaximum === 'number' && c.exclusiveMaximum <= hi) { hi = c.exclusiveMaximum; hiOpen = true; }
  return { lo, hi, loOpen, hiOpen };
}

function fits(value: number, b: Bounds): boolean {
  const aboveLo = b.loOpen ? value > b.lo : value >= b.lo;
  const belowHi = b.hiOpen ? value < b.hi : value <= b.hi;
  return aboveLo && belowHi;
}

// The part of the bounds to draw from: their overlap with the natural window, or, when they do not
// overlap (or only touch at an open bound), the 100 units of the bounds nearest to it.
function drawRange(b: Bounds): Bounds {
  const overlap: Bounds = {
    lo: Math.max(b.lo, NATURAL_MIN),
    hi: Math.min(b.hi, NATURAL_MAX),
    loOpen: b.loOpen && b.lo >= NATURAL_MIN,
    hiOpen: b.hiOpen && b.hi <= NATURAL_MAX,
  };
  if (overlap.lo < overlap.hi || (overlap.lo === overlap.hi && !overlap.loOpen && !overlap.hiOpen)) return overlap;
  const span = NATURAL_MAX - NATURAL_MIN;
  return b.lo >= NATURAL_MAX
    ? { ...b, hi: Math.min(b.hi, b.lo + span), hiOpen: b.hiOpen && b.hi <= b.lo + span }
    : { ...b, lo: Math.max(b.lo, b.hi - span), loOpen: b.loOpen && b.lo >= b.hi - span };
}

// The smallest and largest multiples k of `step` (as k) inside the bounds, respecting open ends.
function multiplesWithin(b: Bounds, step: number): [number, number] {
  const q0 = b.lo / step;
  const q1 = b.hi / step;
  const first = Number.isInteger(q0) && b.loOpen ? q0 + 1 : Math.ceil(q0);
  const last = Number.isInteger(q1) && b.hiOpen ? q1 - 1 : Math.floor(q1);
  return [first, last];
}

function decimalsOf(step: number): number {
  const text = String(step);
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

export function numberInstance(c: NumberConstraints, rng: Rng, instancePath: string): number {
  const b = bounds(c);
  if (b.lo > b.hi || (b.lo === b.hi && (b.loOpen || b.hiOpen))) {
    throw new UnsatisfiableSchemaError(instancePath, `no number lies between ${b.lo} and ${b.hi}`);
  }
  const w = drawRange(b);

  const step = c.multipleOf ?? (c.integer ? 1 : undefined);
  if (step !== undefined && step > 0) {
    // A multiple of the step inside the window first, else anywhere inside the bounds.
    const decimals = decimalsOf(step);
    for (const range of [w, b]) {
      const [first, last] = multiplesWithin(range, step);
      if (!Number.isFinite(first) || !Number.isFinite(last) || first > last) continue;
      const value = Number((rng.int(first, last) * step).toFixed(decimals));
      if (fits(value, b) && (!c.integer || Number.isInteger(value))) return value;
    }
    throw new UnsatisfiableSchemaError(instancePath, `no ${c.integer ? 'integer ' : ''}multiple of ${step} lies between ${b.lo} and ${b.hi}`);
  }

  const raw = w.lo + rng.next() * (w.hi - w.lo);
  const rounded = Number(raw.toFixed(FLOAT_DECIMALS));
  if (fits(rounded, b)) return rounded;
  if (fits(raw, b)) return raw;
  // Only a draw that lands exactly on an open bound gets here; the middle of the window fits.
  return (w.lo + w.hi) / 2;
}
