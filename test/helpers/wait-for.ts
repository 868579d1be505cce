// Bounded waiting: poll until a condition holds, or fail with the caller's message and the last value.

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  until: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 250, message }: { timeoutMs?: number; intervalMs?: number; message: string },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (until(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for: ${message}. Last value: ${JSON.stringify(last)}${lastError ? `; last error: ${(lastError as Error).message}` : ''}`,
  );
}
