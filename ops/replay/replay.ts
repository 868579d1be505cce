// The replay (`kta replay`): runs workflow histories (recorded files, runs named by ID, the runs a visibility query
// lists; by default every run of the routes' topics) through today's workflow code, the bundle the
// worker runs, or another version with --workflows. A change that would break the runs in flight or on
// record shows up here before it is deployed.
// The report says which did not replay; it rejects when the replay could not run.
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { Client, Connection } from '@temporalio/client';
import { Worker, type ReplayResult } from '@temporalio/worker';
import type { Config } from '../../config';
import { ServiceUnavailableError } from '../../errors';
import { describeWorkflowCode } from '../../workers/workflow-code';
import { oneLineDetail, type ReplayOutcome, type ReplayReport } from './report';
import { defaultQuery, fetchWorkflowHistories, historySaver, queryHistories, readHistoryFile, workflowTypeOf, type SourcedHistory } from './sources';
import { installQuietSdkRuntime, loadWorkflowCode, workflowCodeFor, type LoadedWorkflowCode } from './workflow-code';

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
}

/** What a caller hears while the replay runs (the command prints each as it comes). */
export interface ReplayProgress {
  /** The sources are open and the workflow code is about to be loaded. */
  readonly started?: (workflows: string) => void;
  readonly replayed?: (outcome: ReplayOutcome) => void;
}

type FedHistory = SourcedHistory & { readonly savedTo?: string };

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

/** Replays every history the options name; `progress` hears of each as it is replayed. */
export async function runReplay(config: Config, opts: ReplayOptions, progress: ReplayProgress = {}): Promise<ReplayReport> {
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
      connection = await Connection.connect(temporalConnectionOptions(config.temporal)).catch((err: unknown) => {
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
    progress.started?.(describeWorkflowCode(code));
    const loaded = await loadWorkflowCode(code);
    installQuietSdkRuntime(config.logLevel);
    const histories: ReplayOutcome[] = [];
    for await (const outcome of replayEach(loaded, concat<FedHistory>(files, saving(concat(...live), save)))) {
      histories.push(outcome);
      progress.replayed?.(outcome);
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
