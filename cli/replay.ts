// `kta replay`: prints the replay (ops/replay/replay.ts), one line per history as it is replayed and a
// summary, or one JSON object. A change that would break the runs in flight or on record shows up here
// before it is deployed.
// Exit code 0: every history replayed; 1: at least one did not; 2: the replay could not run.
import { loadConfig } from '../config';
import { runReplay, type ReplayOptions } from '../ops/replay/replay';
import type { ReplayOutcome, ReplayReport } from '../ops/replay/report';
import { formatOutcome, formatSummary } from './replay-format';

// After the report: whatever a replay that failed half-way left open must not keep the command alive.
const EXIT_GRACE_MS = 2_000;

export async function replayCommand(opts: ReplayOptions & { readonly json?: boolean }): Promise<void> {
  let report: ReplayReport;
  try {
    const progress = opts.json ? {} : {
      started: (workflows: string) => console.log(`kta replay: histories through the workflow ${workflows}`),
      replayed: (outcome: ReplayOutcome) => console.log(formatOutcome(outcome)),
    };
    report = await runReplay(loadConfig(), opts, progress);
  } catch (err) {
    // Not a finding: nothing was proved either way, which must read neither as "replays" nor as "does not".
    console.error(`kta replay could not run: ${(err as Error).message}`);
    exitSoon(2);
    return;
  }
  console.log(opts.json ? JSON.stringify(report) : formatSummary(report));
  exitSoon(report.ok ? 0 : 1);
}

export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}
