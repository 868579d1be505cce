// Test-only fault switch. KTA_FAULT names a point (optionally `point@N`: the N-th time it is reached);
// when the process reaches it, it appends the point's name to KTA_FAULT_MARKER (so a test can assert
// that the crash really happened there) and SIGKILLs itself: no cleanup, no flush, like a power cut.
// Points reached through failAtFaultPoint throw once instead (a step that fails after its effect).
import { appendFileSync } from 'node:fs';

export type FaultPoint =
  | 'bridge:after-start-before-commit'
  // Fails (throws) a dead letter's audit insert, after its send: the retry must not send the letter again.
  | 'bridge:before-dead-letter-audit'
  | 'worker:before-upsert'
  // Kills the worker inside a throughput batch: a record's answer is recorded, its effect not yet applied.
  | 'worker:throughput-after-result'
  // Kills the bridge after a throughput batch's update completed (in history), before its offsets are committed.
  | 'bridge:throughput-after-accept-before-commit'
  // Kills the worker after a compensation's undo reached the booking API, before it was recorded.
  | 'worker:after-compensation-call'
  // Kills the worker after a tool's refund reached the orders API, before its activity completed.
  | 'worker:after-refund'
  // Fails (throws) the output activity after its outbox row is written: the retry must not add a second.
  | 'worker:after-outbox-write'
  // Kills the relay after the broker acknowledged a batch, before the outbox marks it sent.
  | 'relay:after-ack-before-mark';

const hits = new Map<string, number>();

/** True when KTA_FAULT names this point and this is the N-th time (default first) it is reached. */
function reached(point: FaultPoint, env: NodeJS.ProcessEnv, exactly: boolean): boolean {
  const spec = env.KTA_FAULT;
  if (!spec) return false;
  const [name, nth] = spec.split('@');
  if (name !== point) return false;
  const count = (hits.get(point) ?? 0) + 1;
  hits.set(point, count);
  return exactly ? count === Number(nth ?? 1) : count >= Number(nth ?? 1);
}

/** An error thrown by failAtFaultPoint: a failure injected on purpose, after the step's side effect. */
export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
  constructor(readonly point: FaultPoint) {
    super(`fault injected at ${point} (KTA_FAULT); the step is retried`);
  }
}

/**
 * Like faultPoint, but throws InjectedFaultError instead of killing the process, once (at the N-th
 * time): an activity that fails after its side effect, as when its reply is lost.
 */
export function failAtFaultPoint(point: FaultPoint, env: NodeJS.ProcessEnv = process.env): void {
  if (!reached(point, env, true)) return;
  if (env.KTA_FAULT_MARKER) appendFileSync(env.KTA_FAULT_MARKER, `${point} pid=${process.pid}\n`);
  throw new InjectedFaultError(point);
}

export function faultPoint(point: FaultPoint, env: NodeJS.ProcessEnv = process.env): void {
  if (!reached(point, env, false)) return;
  if (env.KTA_FAULT_MARKER) appendFileSync(env.KTA_FAULT_MARKER, `${point} pid=${process.pid}\n`);
  process.kill(process.pid, 'SIGKILL');
}
