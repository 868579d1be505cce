// Bounded polling for benches: unlike the tests' waitFor, running out of time is a result to report
// (how far a side got within its budget), not a failure.

export interface PollResult<T> {
  readonly value: T;
  readonly reached: boolean;
  /** performance.now() of the probe that returned `value`. */
  readonly atMs: number;
}

export async function pollUntil<T>(
  probe: () => Promise<T>,
  until: (value: T) => boolean,
  { budgetMs, intervalMs }: { budgetMs: number; intervalMs: number },
): Promise<PollResult<T>> {
  const deadline = performance.now() + budgetMs;
  for (;;) {
    const value = await probe();
    const atMs = performance.now();
    if (until(value)) return { value, reached: true, atMs };
    if (atMs >= deadline) return { value, reached: false, atMs };
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - atMs))));
  }
}

/**
 * Polls until the condition holds, or throws with the caller's message: for set-up steps that must
 * succeed. A probe that throws (a service still starting) counts as "not yet".
 */
export async function mustReach<T>(probe: () => Promise<T>, until: (value: T) => boolean, budgetMs: number, what: string): Promise<T> {
  type Attempt = { ok: true; value: T } | { ok: false; error: string };
  const attempt = async (): Promise<Attempt> => {
    try {
      return { ok: true, value: await probe() };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
  const result = await pollUntil(attempt, (a) => a.ok && until(a.value), { budgetMs, intervalMs: 250 });
  if (!result.reached || !result.value.ok) throw new Error(`timed out after ${budgetMs} ms waiting for ${what}; last probe ${JSON.stringify(result.value)}`);
  return result.value.value;
}
