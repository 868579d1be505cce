// Runs naive consumers (naive-consumer.ts) as separate processes in one group, the way they would be
// deployed: each member is a process under a supervisor that starts it again when it exits (as
// Kubernetes' restartPolicy: Always would). Tallies per member what its processes report: joins,
// batches, model calls, commits, crashes and restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NaiveConsumerSettings, NaiveEvent } from './naive-consumer';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./naive-consumer.ts', import.meta.url));
// A supervisor waits a little before a restart; a fixed second keeps the loop's pace readable.
const RESTART_DELAY_MS = 1_000;
const ERRORS_KEPT = 5;

export interface NaiveMemberTally {
  /** performance.now() of every GROUP_JOIN of this member's processes, the first one included. */
  joinsAtMs: number[];
  lastAssignment: number[];
  batchSizes: number[];
  modelCallsDone: number;
  commits: number;
  recordsCommitted: number;
  /** Date.now() when each commit was reported, once per record it committed (record-to-completion latency). */
  committedAtWallMs: number[];
  commitFailures: number;
  crashes: number;
  /** Process restarts by the supervisor after an exit. */
  restarts: number;
  firstErrors: string[];
}

export interface NaiveGroup {
  readonly members: NaiveMemberTally[];
  /** The members' current process ids (for CPU readings from /proc). */
  pids(): number[];
  /** Stops supervising, SIGKILLs every member (a graceful stop would wait for a 60 s batch) and waits for the exits; idempotent. */
  kill(): Promise<void>;
}

// A bench that dies (an error, Ctrl-C) must not leave consumers calling the model in the background.
const alive = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export function startNaiveGroup(count: number, settings: NaiveConsumerSettings, logDir: string): NaiveGroup {
  let stopping = false;
  let killed: Promise<void> | undefined;
  const current: (ChildProcess | undefined)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const members: NaiveMemberTally[] = Array.from({ length: count }, () => ({
    joinsAtMs: [], lastAssignment: [], batchSizes: [], modelCallsDone: 0, commits: 0, recordsCommitted: 0, committedAtWallMs: [],
    commitFailures: 0, crashes: 0, restarts: 0, firstErrors: [],
  }));

  // One log per member across its restarts; a child's pipes must not end it.
  const logs = members.map((_, i) => createWriteStream(join(logDir, `naive-${settings.mode}-${i + 1}.log`), { flags: 'a' }));

  const launch = (i: number) => {
    const out = logs[i];
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify(settings)], {
      cwd: ROOT,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.on('message', (event: NaiveEvent) => record(members[i], event));
    alive.add(child);
    child.once('exit', (code, signal) => {
      alive.delete(child);
      if (stopping) return;
      members[i].restarts += 1;
      out.write(`[naive-group] member ${i + 1} exited (code ${code}, signal ${signal}); restarting in ${RESTART_DELAY_MS} ms\n`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) launch(i);
      }, RESTART_DELAY_MS);
      timers.add(timer);
    });
    current[i] = child;
  };
  for (let i = 0; i < count; i++) launch(i);

  return {
    members,
    pids: () => current.flatMap((child) => (child?.pid !== undefined && child.exitCode === null && child.signalCode === null ? [child.pid] : [])),
    kill() {
      killed ??= (async () => {
        stopping = true;
        for (const timer of timers) clearTimeout(timer);
        await Promise.all(current.map((child) => {
          if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          return exited;
        }));
        await Promise.all(logs.map((out) => new Promise((resolve) => out.end(resolve))));
      })();
      return killed;
    },
  };
}

function record(tally: NaiveMemberTally, event: NaiveEvent): void {
  const keepError = (message: string) => {
    if (tally.firstErrors.length < ERRORS_KEPT) tally.firstErrors.push(message);
  };
  switch (event.type) {
    case 'joined':
      tally.joinsAtMs.push(performance.now());
      tally.lastAssignment = event.partitions;
      break;
    case 'batch':
      tally.batchSizes.push(event.records);
      break;
    case 'model-call-done':
      tally.modelCallsDone += 1;
      break;
    case 'committed':
      tally.commits += 1;
      tally.recordsCommitted += event.records;
      for (let i = 0; i < event.records; i++) tally.committedAtWallMs.push(Date.now());
      break;
    case 'commit-failed':
      tally.commitFailures += 1;
      keepError(`commit of ${event.records} records on partition ${event.partition}: ${event.error}`);
      break;
    case 'crash':
      tally.crashes += 1;
      keepError(`crash (kafkajs restarts it itself: ${event.restart}): ${event.error}`);
      break;
  }
}
