// Each bench runs on a stack of its own (Temporal: the dev server, or with `--server postgres` the
// PostgreSQL-backed server users deploy; Kafka; PostgreSQL) in a fresh temp dir, so nothing another run left behind (open workflows, topics, consumer groups) skews it.
// The stack and every child process a bench started are stopped in `finally`, also on failure; the
// services' data is removed afterwards and the logs are kept.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type Stack } from '../../dev/stack';
import { bundleWorkflowsTo } from '../../workers/bundle';

export interface BenchStack {
  readonly stack: Stack;
  /** Data, service logs and child process logs of this run. */
  readonly dir: string;
  readonly logDir: string;
  /** Workflow bundle, made once per run (only when asked for). */
  readonly workflowBundlePath?: string;
  /** Registers a cleanup (child processes, clients) run before the stack stops, newest first. */
  onStop(cleanup: () => Promise<unknown> | unknown): void;
}

export async function withBenchStack<T>(
  name: string,
  opts: { bundleWorkflows: boolean; temporalServer?: 'dev' | 'postgres'; tls?: boolean; temporalDynamicConfig?: Record<string, string | number | boolean> },
  body: (bench: BenchStack) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `kta-bench-${name}-`));
  const logDir = join(dir, 'bench-logs');
  mkdirSync(logDir, { recursive: true });
  const log = (line: string) => console.error(`[${name}] ${line}`);
  log(`starting the stack in ${dir}`);
  const [stack, workflowBundlePath] = await Promise.all([
    startStack({ dir, ui: false, temporalServer: opts.temporalServer, tls: opts.tls, temporalDynamicConfig: opts.temporalDynamicConfig, log: (line) => log(`stack: ${line}`) }),
    opts.bundleWorkflows ? bundleWorkflowsTo(join(dir, 'workflow-bundle.js')) : Promise.resolve(undefined),
  ]);
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  try {
    return await body({ stack, dir, logDir, workflowBundlePath, onStop: (c) => cleanups.push(c) });
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        log(`cleanup failed: ${(err as Error).message}`);
      }
    }
    log('stopping the stack');
    await stack.stop();
    // The services' data (hundreds of MB of Temporal history after a throughput run) is of no use
    // once the figures are out; the logs stay for whoever reads them.
    for (const data of ['temporal', 'kafka']) rmSync(join(dir, data), { recursive: true, force: true });
    log(`logs kept in ${dir}`);
  }
}

/** The Temporal server a bench runs against: `--server dev|postgres` (default dev) and `--tls` (mutual TLS; postgres only). */
export function temporalServerArgs(args: string[]): { temporalServer: 'dev' | 'postgres'; tls: boolean } {
  const at = args.indexOf('--server');
  const temporalServer = at < 0 ? 'dev' : args[at + 1];
  if (temporalServer !== 'dev' && temporalServer !== 'postgres') throw new Error(`--server takes dev or postgres; got ${args[at + 1]}`);
  const tls = args.includes('--tls');
  if (tls && temporalServer !== 'postgres') throw new Error('--tls needs --server postgres: the dev server has no TLS');
  return { temporalServer, tls };
}

/** Progress lines go to stderr: stdout carries only the driver's JSON line. */
export const benchLog = (name: string) => (line: string) => console.error(`[${name}] ${new Date().toISOString().slice(11, 19)} ${line}`);
