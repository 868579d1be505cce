// Small number helpers for bench figures: summaries that fit in one JSON line, and ratios that say
// "not defined" (null) instead of printing Infinity or NaN, which JSON cannot hold.

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function distribution(values: number[]): { count: number; min: number | null; median: number | null; max: number | null } {
  return { count: values.length, min: values.length ? Math.min(...values) : null, median: median(values), max: values.length ? Math.max(...values) : null };
}

export function ratio(numerator: number, denominator: number, digits = 3): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  return round(numerator / denominator, digits);
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
