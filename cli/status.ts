// `kta status`: what an operator looks at first. Per route: the bridge group's lag, open and finished
// runs, dead letters, and whether a bridge would pause it; the model limiter; with --bridge, each
// bridge's own paused state and counters. An unreachable service is shown on its line; the exit code
// is 0 unless the configuration itself is invalid (2).
import { loadConfig, type Config } from '../config';
import { ConfigError } from '../errors';
import { sleep } from '../lib/backoff';
import { formatStatus } from './status-format';
import { gatherStatus } from '../ops/status/gather';

/** The exit code when the configuration cannot be loaded: nothing could be looked at. */
export const CONFIG_EXIT_CODE = 2;
// After the report, connections a timed-out source left half-open must not keep the command alive.
const EXIT_GRACE_MS = 2_000;

export interface StatusCommandOptions {
  readonly json?: boolean;
  readonly bridge?: string[];
  /** Reprint every this many seconds until Ctrl-C (text only). */
  readonly watch?: number;
}

function exitAfter(output: string, code: number): void {
  process.exitCode = code;
  process.stdout.write(`${output}\n`, () => setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref());
}

async function watch(config: Config, bridges: string[], seconds: number): Promise<void> {
  const stopped = new AbortController();
  process.once('SIGINT', () => {
    // Finish the report being gathered (its connections close), but never wait long on a dead service.
    stopped.abort();
    setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  });
  // Clear the screen between reports on a terminal; a pipe or a file gets them one after another.
  const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
  while (!stopped.signal.aborted) {
    const report = await gatherStatus(config, { bridges });
    if (stopped.signal.aborted) break;
    process.stdout.write(`${clear}${formatStatus(report)}\n(every ${seconds} s; Ctrl-C stops)\n\n`);
    await sleep(seconds * 1000, stopped.signal);
  }
}

export async function statusCommand(opts: StatusCommandOptions): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exitCode = CONFIG_EXIT_CODE;
    return;
  }
  const bridges = opts.bridge ?? [];
  if (opts.watch !== undefined) return watch(config, bridges, opts.watch);
  const report = await gatherStatus(config, { bridges });
  exitAfter(opts.json ? JSON.stringify(report) : formatStatus(report), 0);
}
