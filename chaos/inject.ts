// How each fault is injected and how the run knows it fired. Process kills check the exit signal;
// server restarts check that the port stopped answering and the server came back with a new pid;
// simulator faults check the simulators' own counters.
import { Connection } from '@temporalio/client';
import { canConnect } from '../dev/stack/wait';
import { sleep } from '../lib/backoff';
import type { ChaosStack } from './chaos-stack';
import type { FaultKind, ScheduledFault } from './fault-kinds';
import type { ChaosServices } from './services';

export interface InjectContext {
  readonly stack: ChaosStack;
  readonly services: ChaosServices;
  /** Model calls slower than a second since this time (latency spike evidence). */
  slowCallsSince(sinceMs: number): number;
  readonly log: (line: string) => void;
  /** Produces this fault's burst of records (the Temporal outage sends it while the server is down). */
  readonly burst: () => Promise<void>;
}

// A SIGKILL lands this long after the burst that precedes every fault (run-chaos.ts): the bridges are
// then mid-batch, with starts in flight and offsets not yet committed.
const KILL_AFTER_BURST_MS = 400;
/** A bridge SIGKILL waits for this many starts of the burst (at most 0.8 s after the first). */
const KILL_AFTER_STARTS = 5;
/** How long the kill waits for the bridge's first start after the burst: a backlogged bridge may hold its topics (backpressure) for a while. */
const FIRST_START_WAIT_MS = 15_000;

export interface Injected {
  readonly fired: boolean;
  readonly evidence: string;
}

/** How long a server stays down; long enough for clients to notice, short enough for sessions to survive. */
export const OUTAGE_MS = 4_000;
const SIMULATOR_FAULT_MS = 8_000;
const FIRE_WAIT_MS = 90_000;
// Armed in the background (run-chaos.ts): a trip must reach each failing call.
const BOOKING_FIRE_WAIT_MS = 300_000;

async function waitUntil(check: () => boolean | Promise<boolean>, budgetMs: number, everyMs = 500): Promise<boolean> {
  const deadline = Date.now() + budgetMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 5_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

const injectors: Record<FaultKind, (ctx: InjectContext, fault: ScheduledFault) => Promise<Injected>> = {
  async 'bridge-sigkill'({ services, burst }, { target }) {
    // The kill lands while the bridge starts the runs of the burst: it then holds started records not
    // yet committed (redelivered after the kill: the workflow-ID dedup must absorb them)
    // and records read but not yet started (never committed: they must come back too).
    // The first reading may wait longer: a loaded bridge can take a few seconds to answer.
    const before = await services.bridgeStarts(target, 5_000);
    await burst();
    const startsSince = async () => ((await services.bridgeStarts(target)) ?? before!) - before!;
    const sawStart = before !== undefined && (await waitUntil(async () => (await startsSince()) > 0, FIRST_START_WAIT_MS, 20));
    if (sawStart) await waitUntil(async () => (await startsSince()) >= KILL_AFTER_STARTS, KILL_AFTER_BURST_MS * 2, 20);
    else await sleep(KILL_AFTER_BURST_MS);
    const { signal, oldPid, newPid } = await services.killAndRestart('bridge', target);
    const when = sawStart ? 'while it started the runs of the burst'
      : before === undefined ? `${KILL_AFTER_BURST_MS} ms after the burst (its /metrics did not answer, so its starts could not be read)`
      : `after the burst (it started none of it within ${FIRST_START_WAIT_MS / 1000} s: its topics were held)`;
    return { fired: signal === 'SIGKILL', evidence: `bridge ${target} pid ${oldPid} ended by ${signal} ${when}; restarted as pid ${newPid}` };
  },
  async 'worker-sigkill'({ services }, { target }) {
    await sleep(KILL_AFTER_BURST_MS * 5);
    const { signal, oldPid, newPid } = await services.killAndRestart('worker', target);
    return { fired: signal === 'SIGKILL', evidence: `worker ${target} pid ${oldPid} ended by ${signal}; restarted as pid ${newPid}` };
  },
  async 'temporal-restart'({ stack, services, burst }, { target }) {
    const oldPid = stack.temporal.pid;
    await stack.temporal.stop();
    const down = !(await canConnect('127.0.0.1', stack.temporal.port));
    // Records arrive while Temporal is down, and a bridge is restarted meanwhile (a deploy during an
    // outage): the records it was still retrying must come back to the group uncommitted, not be skipped.
    await burst();
    await sleep(OUTAGE_MS / 2);
    const bridge = await services.killAndRestart('bridge', target);
    await sleep(OUTAGE_MS / 2);
    await stack.restartTemporal();
    // restart() resolves on the gRPC health check; a client connection may take a moment longer on a busy machine.
    const back = await waitUntil(() => temporalAnswers(stack.temporal.address), 30_000);
    return {
      fired: down && back && stack.temporal.pid !== oldPid && bridge.signal === 'SIGKILL',
      evidence: `Temporal pid ${oldPid} stopped (port closed: ${down}); bridge ${target} SIGKILLed while it was down; back as pid ${stack.temporal.pid} on the same SQLite file (answers: ${back})`,
    };
  },
  async 'kafka-restart'({ stack }) {
    const oldPid = stack.kafka().pid;
    const port = stack.kafka().port;
    let down = false;
    const restarted = stack.restartKafka(OUTAGE_MS);
    await waitUntil(async () => (down = !(await canConnect('127.0.0.1', port))), 60_000);
    await restarted;
    return { fired: down && stack.kafka().pid !== oldPid, evidence: `Kafka pid ${oldPid} stopped (port closed: ${down}), back as pid ${stack.kafka().pid} on the same data dir and port ${port}` };
  },
  async 'postgres-restart'({ stack }) {
    const oldPid = stack.postgres.pid;
    await stack.postgres.restart();
    return { fired: stack.postgres.pid !== undefined && stack.postgres.pid !== oldPid, evidence: `PostgreSQL pid ${oldPid} stopped, back as pid ${stack.postgres.pid} on the same data dir and port ${stack.postgres.port}` };
  },
  async 'llm-429-storm'({ stack }) {
    const before = stack.llm.stats().faults['rate-limit'];
    stack.llm.configure({ faults: ['rate-limit'], faultRate: 0.7, retryAfterS: 1 });
    await sleep(SIMULATOR_FAULT_MS);
    await waitUntil(() => stack.llm.stats().faults['rate-limit'] > before, FIRE_WAIT_MS);
    stack.llm.configure({ faults: [], faultRate: 1 });
    const served = stack.llm.stats().faults['rate-limit'] - before;
    return { fired: served > 0, evidence: `${served} model calls answered 429 with Retry-After 1 s` };
  },
  async 'llm-latency-spike'(ctx) {
    const since = Date.now();
    ctx.stack.llm.configure({ latency: 'uniform:minMs=1500,maxMs=4000' });
    await sleep(SIMULATOR_FAULT_MS);
    await waitUntil(() => ctx.slowCallsSince(since) > 0, FIRE_WAIT_MS);
    ctx.stack.llm.configure({ latency: 'uniform:minMs=20,maxMs=120' });
    const slow = ctx.slowCallsSince(since);
    return { fired: slow > 0, evidence: `${slow} model calls took 1.5-4 s` };
  },
  async 'booking-api-failures'({ stack }) {
    // A card refused for good (the saga compensates), a flight API down for a moment (retried), a
    // hotel booked and a refund made whose answers never came (the retry's idempotency key finds them),
    // and the email service down for a moment (retried).
    stack.booking.configure({ faults: [
      { endpoint: 'charge-card', kind: 'fail', status: 402, times: 2 },
      { endpoint: 'reserve-flight', kind: 'fail', status: 503, times: 3 },
      { endpoint: 'reserve-hotel', kind: 'timeout-after-commit', times: 1 },
      { endpoint: 'refund-order', kind: 'timeout-after-commit', times: 1 },
      { endpoint: 'send-email', kind: 'fail', status: 503, times: 2 },
    ] });
    const allFired = () => stack.booking.faults().every((f) => f.fired > 0);
    await waitUntil(allFired, BOOKING_FIRE_WAIT_MS);
    const fired = stack.booking.faults();
    stack.booking.configure({ faults: [] });
    return { fired: fired.every((f) => f.fired > 0), evidence: fired.map((f) => `${f.spec.endpoint} ${f.spec.kind}${f.spec.status ? ` ${f.spec.status}` : ''} x${f.fired}`).join(', ') };
  },
};

export function inject(ctx: InjectContext, fault: ScheduledFault): Promise<Injected> {
  return injectors[fault.kind](ctx, fault);
}
