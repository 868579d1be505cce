// Where `kta replay` gets its histories: recorded files, runs named by workflow ID, and the runs a
// visibility query lists (by default every run of the routes' topics); and `--save`, which keeps
// what it fetched as files that `--file` reads back.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import type { Route } from '../../config';
import { HistoryFileError, WorkflowHistoryNotFoundError } from '../../errors';
import { KAFKA_TOPIC } from '../../workflows/search-attributes';

export interface SourcedHistory {
  readonly workflowId: string;
  /** Known for fetched runs and saved files; a `temporal workflow show` file has none. */
  readonly runId?: string;
  readonly history: History;
  /** `temporal` or the file the history was read from. */
  readonly source: string;
}

interface RunRef {
  readonly workflowId: string;
  readonly runId: string;
}

// Histories are fetched a few at a time ahead of the replay, which takes them one at a time.
const FETCH_AHEAD = 5;
const GRPC_NOT_FOUND = 5;
// Visibility returns at most this many runs per page.
const MAX_PAGE_SIZE = 1000;

/** Every run of the routes' topics: the bridge sets KafkaTopic on each run it starts. */
export function defaultQuery(routes: readonly Route[]): string {
  const topics = [...new Set(routes.map((r) => JSON.stringify(r.topic)))];
  return topics.length === 1 ? `${KAFKA_TOPIC.name} = ${topics[0]}` : `${KAFKA_TOPIC.name} IN (${topics.join(', ')})`;
}

export function workflowTypeOf(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
}

async function fetchRun(client: Client, run: { workflowId: string; runId?: string }): Promise<SourcedHistory> {
  try {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    return { ...run, history, source: 'temporal' };
  } catch (err) {
    // fetchHistory passes the service's gRPC error through (other handle calls map it to WorkflowNotFoundError).
    if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND)) throw new WorkflowHistoryNotFoundError(run.workflowId, client.options.namespace, { cause: err });
    throw err;
  }
}

/** The latest run of each ID, fetched before anything is replayed so a mistyped ID stops the command early. */
export async function fetchWorkflowHistories(client: Client, workflowIds: readonly string[]): Promise<SourcedHistory[]> {
  return Promise.all(workflowIds.map((workflowId) => fetchRun(client, { workflowId })));
}

/**
 * The first `limit` runs the query lists, their histories fetched lazily as the replay takes them.
 * Not `list().intoHistories()`: in SDK 1.24 it keeps fetching every match in the background after its
 * consumer stops, so it cannot honour a limit.
 */
export async function queryHistories(client: Client, query: string, limit: number): Promise<{ runs: number; limitReached: boolean; histories: AsyncIterable<SourcedHistory> }> {
  const runs: RunRef[] = [];
  let limitReached = false;
  for await (const wf of client.workflow.list({ query, pageSize: Math.min(limit + 1, MAX_PAGE_SIZE) })) {
    if (runs.length === limit) {
      limitReached = true;
      break;
    }
    runs.push({ workflowId: wf.workflowId, runId: wf.runId });
  }
  return { runs: runs.length, limitReached, histories: fetchAhead(runs, (run) => fetchRun(client, run)) };
}

async function* fetchAhead<T, R>(items: readonly T[], fetch: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (next < items.length && pending.length < FETCH_AHEAD) {
      const p = fetch(items[next++]);
      // A fetch whose turn never comes (the consumer stopped) must not become an unhandled rejection.
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  fill();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    fill();
    yield result;
  }
}

/** Reads a history as `temporal workflow show --output json`, historyToJSON or `--save` wrote it. */
export function readHistoryFile(path: string): SourcedHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new HistoryFileError(path, (err as Error).message, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { events?: unknown }).events) || (raw as { events: unknown[] }).events.length === 0) {
    throw new HistoryFileError(path, 'it holds no "events" array with events in it');
  }
  const { workflowId, runId, ...json } = raw as { workflowId?: unknown; runId?: unknown };
  let history: History;
  try {
    history = historyFromJSON(json);
  } catch (err) {
    throw new HistoryFileError(path, (err as Error).message, { cause: err });
  }
  if (!workflowTypeOf(history)) throw new HistoryFileError(path, 'its first event is not a WorkflowExecutionStarted event with a workflow type');
  return {
    // A file from `temporal workflow show` does not name its run; its file name stands in for the ID.
    workflowId: typeof workflowId === 'string' ? workflowId : basename(path, '.json'),
    runId: typeof runId === 'string' ? runId : undefined,
    history,
    source: path,
  };
}

/** `<workflowId>.json` when the ID is a safe file name; otherwise the ID made safe plus a short hash of the real one. */
export function historyFileName(workflowId: string): string {
  const safe = workflowId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_').slice(0, 160);
  // Making an ID safe can map two IDs to one name (`conv:t-0-1`, `conv_t-0-1`); the hash keeps them apart.
  return safe === workflowId ? `${safe}.json` : `${safe}~${createHash('sha256').update(workflowId).digest('hex').slice(0, 8)}.json`;
}

/**
 * Writes each history into `dir` as the SDK's JSON plus its `workflowId` and `runId` (which a history
 * does not hold; the SDK's historyFromJSON ignores them). A second run of one ID gets its run ID in the name.
 */
export function historySaver(dir: string): (h: SourcedHistory) => string {
  mkdirSync(dir, { recursive: true });
  const written = new Set<string>();
  return (h) => {
    let name = historyFileName(h.workflowId);
    if (written.has(name)) name = name.replace(/\.json$/, `.${h.runId ?? written.size}.json`);
    written.add(name);
    const path = join(dir, name);
    const events = (JSON.parse(historyToJSON(h.history)) as { events: unknown[] }).events;
    writeFileSync(path, `${JSON.stringify({ workflowId: h.workflowId, runId: h.runId, events }, null, 2)}\n`);
    return path;
  };
}
