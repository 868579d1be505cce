// `kta replay`: runs workflow histories (recorded files, runs named by ID, the runs a visibility query
// lists; by default every run of the routes' topics) through today's workflow code, the bundle the
// worker runs, or another version with --workflows. A change that would break the runs in flight or on
// record shows up here before it is deployed.
// Exit code 0: every history replayed; 1: at least one did not; 2: the replay could not run.
import { existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, type LogLevel, type ReplayResult } from '@temporalio/worker';
import { loadConfig, type Config } from '../config';
import { ServiceUnavailableError } from '../errors';
import { bundleWorkflows } from '../workers/bundle';
import { configuredWorkflowCode, describeWorkflowCode, workflowCodeAt, type WorkflowCode } from '../workers/workflow-code';
import { formatOutcome, formatSummary, oneLineDetail, type ReplayOutcome, type ReplayReport } from './replay-report';
import { defaultQuery, fetchWorkflowHistories, historySaver, queryHistories, readHistoryFile, workflowTypeOf, type SourcedHistory } from './replay-sources';

export const DEFAULT_REPLAY_LIMIT = 1000;

export interface ReplayOptions {
  readonly query?: string;
  /** Runs of the query at most. */
  readonly limit?: number;
  readonly workflowId?: string[];
  readonly file?: string[];
  /** A workflows module or bundle to replay against instead of the configured one. */
  readonly workflows?: string;
  /** A directory to write each history fetched from Temporal into. */
  readonly save?: string;
  readonly json?: boolean;
}

type FedHistory = SourcedHistory & { readonly savedTo?: string };
export type LoadedWorkflowCode = { workflowBundle: { code: string } | { codePath: string } };

// After the report: whatever a replay that failed half-way left open must not keep the command alive.
const EXIT_GRACE_MS = 2_000;

export function workflowCodeFor(config: Config, workflows: string | undefined): WorkflowCode {
  if (workflows !== undefined) {
    if (!existsSync(workflows)) throw new Error(`--workflows ${workflows} does not exist; give a workflows module (like workflows/index.ts) or a bundle built by bundleWorkflowCode`);
    return workflowCodeAt(workflows);
  }
  const code = configuredWorkflowCode(config.worker.workflowBundlePath);
  if ('workflowBundle' in code && !existsSync(code.workflowBundle.codePath)) {
    throw new Error(`WORKFLOW_BUNDLE_PATH ${code.workflowBundle.codePath} does not exist; point it at the bundle the workers load, or unset it to bundle workflows/index.ts as the worker does`);
  }
  return code;
}

async function* concat<T>(...sources: (Iterable<T> | AsyncIterable<T>)[]): AsyncGenerator<T> {
  for (const source of sources) yield* source;
}

async function* saving(histories: AsyncIterable<SourcedHistory>, save: ((h: SourcedHistory) => string) | undefined): AsyncGenerator<FedHistory> {
  for await (const h of histories) yield save ? { ...h, savedTo: save(h) } : h;
}

function toOutcome(h: FedHistory, result: ReplayResult): ReplayOutcome {
  const { error } = result;
  return {
    workflowId: h.workflowId,
    runId: h.runId ?? result.runId,
    workflowType: workflowTypeOf(h.history),
    source: h.source,
    ok: error === undefined,
    ...(error ? { error: { name: error.name, message: error.message, detail: oneLineDetail(error.message) } } : {}),
    ...(h.savedTo ? { savedTo: h.savedTo } : {}),
  };
}

/**
 * A module is bundled here, before the SDK's runtime exists: a bundle that fails to build then shows
 * webpack's errors and leaves no runtime behind to keep the process alive.
 */
export async function loadWorkflowCode(code: WorkflowCode): Promise<LoadedWorkflowCode> {
  return 'workflowsPath' in code ? { workflowBundle: { code: await bundleWorkflows(code.workflowsPath) } } : code;
}

async function* replayEach(code: LoadedWorkflowCode, histories: AsyncIterable<FedHistory>): AsyncGenerator<ReplayOutcome> {
  const fed: FedHistory[] = [];
  async function* feed() {
    for await (const h of histories) {
      fed.push(h);
      yield { workflowId: h.workflowId, history: h.history };
    }
  }
  for await (const result of Worker.runReplayHistories({ ...code, replayName: 'kta-replay' }, feed())) {
    // The SDK replays one history at a time, so each result belongs to the oldest history fed.
    yield toOutcome(fed.shift()!, result);
  }
}

let sdkRuntimeInstalled = false;

/**
 * The replay worker logs every activation, and each failed one at error level; the outcome lines say it
 * once. Installed just before the replay: the runtime keeps the process alive until its last worker
 * closes, so a command that stops earlier must not have created it.
 */
export function installQuietSdkRuntime(logLevel: Config['logLevel']): void {
  if (sdkRuntimeInstalled) return;
  const level: LogLevel | undefined = logLevel === 'trace' ? 'TRACE' : logLevel === 'debug' ? 'DEBUG' : undefined;
  Runtime.install({
    logger: level ? new DefaultLogger(level) : new DefaultLogger('ERROR', () => undefined),
    telemetryOptions: { logging: { filter: { core: level ?? 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  sdkRuntimeInstalled = true;
}

/** Replays every history the options name; `print` gets one line per history as it is replayed. */
export async function runReplay(config: Config, opts: ReplayOptions, print: (line: string) => void = () => undefined): Promise<ReplayReport> {
  const code = workflowCodeFor(config, opts.workflows);
  // Inputs are checked before anything is bundled or replayed: a bad file or a mistyped ID stops the command at once.
  const files = (opts.file ?? []).map(readHistoryFile);
  const workflowIds = opts.workflowId ?? [];
  const queryText = opts.query ?? (files.length === 0 && workflowIds.length === 0 ? defaultQuery(config.routes) : undefined);
  const limit = opts.limit ?? DEFAULT_REPLAY_LIMIT;
  let connection: Connection | undefined;
  try {
    const live: AsyncIterable<SourcedHistory>[] = [];
    let query: ReplayReport['query'];
    if (workflowIds.length > 0 || queryText !== undefined) {
      connection = await Connection.connect({ address: config.temporal.address }).catch((err: unknown) => {
        throw new ServiceUnavailableError('Temporal', config.temporal.address, 'start it (locally `npx kta stack up`) or set TEMPORAL_ADDRESS to its frontend', { cause: err });
      });
      const client = new Client({ connection, namespace: config.temporal.namespace });
      live.push(concat(await fetchWorkflowHistories(client, workflowIds)));
      if (queryText !== undefined) {
        const listed = await queryHistories(client, queryText, limit);
        query = { text: queryText, runs: listed.runs, limit, limitReached: listed.limitReached };
        live.push(listed.histories);
      }
    }
    const save = opts.save === undefined ? undefined : historySaver(opts.save);
    print(`kta replay: histories through the workflow ${describeWorkflowCode(code)}`);
    const loaded = await loadWorkflowCode(code);
    installQuietSdkRuntime(config.logLevel);
    const histories: ReplayOutcome[] = [];
    for await (const outcome of replayEach(loaded, concat<FedHistory>(files, saving(concat(...live), save)))) {
      histories.push(outcome);
      print(formatOutcome(outcome));
    }
    const failed = histories.filter((h) => !h.ok).length;
    return {
      ok: failed === 0,
      workflows: describeWorkflowCode(code),
      ...(query ? { query } : {}),
      summary: { replayed: histories.length, ok: histories.length - failed, failed },
      histories,
    };
  } finally {
    await connection?.close();
  }
}

export async function replayCommand(opts: ReplayOptions): Promise<void> {
  let report: ReplayReport;
  try {
    report = await runReplay(loadConfig(), opts, opts.json ? undefined : (line) => console.log(line));
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
