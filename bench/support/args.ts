// `npm run bench -- NAME --records 2000 --reps 3`: named numeric and list arguments with defaults.

export function numberArg(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got ${args[at + 1]}`);
  return value;
}

export function listArg<T extends string>(args: string[], name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return [...fallback];
  const values = (args[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = values.filter((v) => !allowed.includes(v as T));
  if (!values.length || unknown.length) throw new Error(`--${name} takes a comma-separated list of ${allowed.join(', ')}; got ${args[at + 1]}`);
  return values as T[];
}
