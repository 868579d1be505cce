// What the audit looks up for one page of one partition: the runs Temporal has for those offsets, the
// dead letters and business-key skips the bridge recorded in PostgreSQL, and the per-key entities'
// progress. Batched per page: one visibility query, a few SQL queries, and a describe only for the
// IDs visibility did not list (it can lag the start by a second).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { KAFKA_OFFSET, KAFKA_PARTITION, KAFKA_TOPIC } from '../../workflows/search-attributes';
import { batchKey, skipKey, turnKey, type Expectation, type PageEvidence, type SeenRun } from './expectation';

export interface EvidenceSources {
  readonly client: Client;
  readonly pool: Pool;
  /** Which of the tables the audit reads exist (a bridge or worker that never ran has not made them). */
  readonly tables: ReadonlySet<string>;
  /** Skip owners looked up so far (usually runs of an earlier page), kept across pages. */
  readonly owners: Map<string, SeenRun | undefined>;
}

export const AUDIT_TABLES = ['dead_letters', 'skipped_records', 'conversation_turns', 'conversation_offsets', 'throughput_results'] as const;
const DESCRIBE_CONCURRENCY = 16;
const VISIBILITY_PAGE_SIZE = 1_000;

export async function existingTables(pool: Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL', [AUDIT_TABLES]);
  return new Set(rows.map((r) => r.name));
}

export async function gatherEvidence(src: EvidenceSources, topic: string, partition: number, expectations: Expectation[]): Promise<PageEvidence> {
  const offsets = expectations.map((e) => BigInt(e.record.offset));
  const low = offsets.reduce((a, b) => (b < a ? b : a)).toString();
  const high = offsets.reduce((a, b) => (b > a ? b : a)).toString();
  const sql = <R extends object>(table: string, text: string, params: unknown[]) =>
    src.tables.has(table) ? src.pool.query<R>(text, params).then((r) => r.rows) : Promise.resolve([] as R[]);
  const entityIds = [...new Set(expectations.flatMap((e) => (e.kind === 'entity' ? [e.entityId] : [])))];
  const batchRoutes = [...new Set(expectations.flatMap((e) => (e.kind === 'batch' ? [e.route] : [])))];
  const [deadLetterRows, skippedRows, turnRows, highWaterRows, listed, batchRows] = await Promise.all([
    sql<{ offset: string; class: string; workflow_id: string | null }>('dead_letters',
      'SELECT "offset"::text AS "offset", class, workflow_id FROM dead_letters WHERE topic = $1 AND partition = $2 AND "offset" BETWEEN $3 AND $4', [topic, partition, low, high]),
    sql<{ offset: string; route: string; reason: string; owner_workflow_id: string }>('skipped_records',
      'SELECT "offset"::text AS "offset", route, reason, owner_workflow_id FROM skipped_records WHERE topic = $1 AND partition = $2 AND "offset" BETWEEN $3 AND $4', [topic, partition, low, high]),
    entityIds.length ? sql<{ entity_id: string; offset: string }>('conversation_turns',
      'SELECT entity_id, "offset"::text AS "offset" FROM conversation_turns WHERE entity_id = ANY($1) AND partition = $2 AND "offset" BETWEEN $3 AND $4', [entityIds, partition, low, high]) : [],
    entityIds.length ? sql<{ entity_id: string; high_water: string }>('conversation_offsets',
      'SELECT entity_id, high_water::text AS high_water FROM conversation_offsets WHERE entity_id = ANY($1) AND partition = $2', [entityIds, partition]) : [],
    expectations.some((e) => e.kind === 'run') ? listRuns(src.client, topic, partition, low, high) : new Map<string, SeenRun>(),
    batchRoutes.length ? sql<{ route: string; offset: string; status: string; record_hash: string }>('throughput_results',
      'SELECT route, "offset"::text AS "offset", status, record_hash FROM throughput_results WHERE route = ANY($1) AND topic = $2 AND partition = $3 AND "offset" BETWEEN $4 AND $5', [batchRoutes, topic, partition, low, high]) : [],
  ]);

  const deadLetters = new Map<string, { class: string; workflowId: string | null }[]>();
  for (const r of deadLetterRows) deadLetters.set(r.offset, [...(deadLetters.get(r.offset) ?? []), { class: r.class, workflowId: r.workflow_id }]);
  const skipped = new Map(skippedRows.map((r) => [skipKey(r.offset, r.route), { reason: r.reason, ownerWorkflowId: r.owner_workflow_id }]));

  const runs = new Map<string, SeenRun | undefined>(listed);
  const owners = [...new Set([...skipped.values()].map((s) => s.ownerWorkflowId))];
  const newOwners = owners.filter((id) => !runs.has(id) && !src.owners.has(id));
  const unseen = [...new Set(expectations.flatMap((e) => (e.kind === 'run' && !runs.has(e.workflowId) ? [e.workflowId] : [])))];
  await describeAll(src.client, [...newOwners, ...unseen], runs);
  for (const id of newOwners) src.owners.set(id, runs.get(id));
  for (const id of owners) if (!runs.has(id)) runs.set(id, src.owners.get(id));

  return {
    runs,
    deadLetters,
    skipped,
    entityTurns: new Set(turnRows.map((r) => turnKey(r.entity_id, r.offset))),
    entityHighWater: new Map(highWaterRows.map((r) => [r.entity_id, BigInt(r.high_water)])),
    batchResults: new Map(batchRows.map((r) => [batchKey(r.route, r.offset), { status: r.status, recordHash: r.record_hash }])),
  };
}

/** Every run started for these offsets, by the search attributes the bridge sets on each start. */
async function listRuns(client: Client, topic: string, partition: number, low: string, high: string): Promise<Map<string, SeenRun>> {
  const query = `${KAFKA_TOPIC.name} = ${JSON.stringify(topic)} AND ${KAFKA_PARTITION.name} = ${partition} AND ${KAFKA_OFFSET.name} >= ${low} AND ${KAFKA_OFFSET.name} <= ${high}`;
  const runs = new Map<string, SeenRun>();
  for await (const wf of client.workflow.list({ query, pageSize: VISIBILITY_PAGE_SIZE })) runs.set(wf.workflowId, seen(wf.memo));
  return runs;
}

/** Describes each ID into `into` (undefined: no such run), a few at a time. */
async function describeAll(client: Client, ids: string[], into: Map<string, SeenRun | undefined>): Promise<void> {
  const todo = [...ids];
  const worker = async () => {
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      try {
        into.set(id, seen((await client.workflow.getHandle(id).describe()).memo));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        into.set(id, undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, todo.length) }, worker));
}

const seen = (memo: Record<string, unknown> | undefined): SeenRun => {
  const hash = memo?.recordHash;
  return typeof hash === 'string' ? { recordHash: hash } : {};
};
