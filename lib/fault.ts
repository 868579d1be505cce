// Test-only fault switch. KTA_FAULT names a point (optionally `point@N`: the N-th time it is reached);
// when the process reaches it, it appends the point's name to KTA_FAULT_MARKER (so a test can assert
// that the crash really happened there) and SIGKILLs itself: no cleanup, no flush, like a power cut.
import { appendFileSync } from 'node:fs';

export type FaultPoint =
  | 'bridge:after-start-before-commit'
  | 'worker:before-upsert';

const hits = new Map<string, number>();

export function faultPoint(point: FaultPoint, env: NodeJS.ProcessEnv = process.env): void {
  const spec = env.KTA_FAULT;
  if (!spec) return;
  const [name, nth] = spec.split('@');
  if (name !== point) return;
  const count = (hits.get(point) ?? 0) + 1;
  hits.set(point, count);
  if (count < Number(nth ?? 1)) return;
  if (env.KTA_FAULT_MARKER) appendFileSync(env.KTA_FAULT_MARKER, `${point} pid=${process.pid}\n`);
  process.kill(process.pid, 'SIGKILL');
}
