// The chaos run's audit, from outside the services: Kafka's committed offsets per partition and every
// record's timestamp, the runs per offset in Temporal visibility (by the search attributes the bridge
// sets), the turns of per-key entities, the rows of throughput routes in throughput_results, the
// dead-letter topic, the bridge's business-key skips, and each agent's effects (its profile counts
// them). No product process is asked anything.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Pool } from 'pg';
import type { BookingSimulator } from '../dev/booking-simulator/server';
import { openAuditKafka } from '../ops/kafka-records';
import { KAFKA_OFFSET, KAFKA_PARTITION } from '../workflows/search-attributes';
import type { ChaosProfile, EffectCount } from './profiles/profile';

export interface TopicUnderTest {
  readonly profile: ChaosProfile;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly outputTopic?: string;
}

export interface TopicAudit {
  readonly topic: string;
  readonly workflowType: string;
  readonly records: number;
  readonly runs: number;
  readonly openRuns: number;
  readonly deadLetters: number;
  readonly businessKeySkips: number;
  readonly uncommitted: number;
  readonly offsetsWithNeither: number;
  readonly offsetsWithTwoRuns: number;
  readonly effects: EffectCount;
  /** Milliseconds from a record's timestamp to its run's start and close (per-record routes). */
  readonly toStartMs: number[];
  readonly toCloseMs: number[];
  /** A few offsets with neither or with two runs, for the reader. */
  readonly examples: string[];
}

export interface AuditSources {
  readonly brokers: string[];
  readonly groupId: string;
  readonly client: Client;
  readonly pool: Pool;
  readonly booking: BookingSimulator;
}

const at = (partition: number, offset: number | string) => `${partition}@${offset}`;

async function listRuns(client: Client, topic: string): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const wf of client.workflow.list({ query: `KafkaTopic = ${JSON.stringify(topic)}`, pageSize: 1_000 })) runs.push(wf);
  return runs;
}

async function readAll(kafka: Awaited<ReturnType<typeof openAuditKafka>>, topic: string, groupId: string) {
  const offsets = await kafka.partitionOffsets(topic, groupId);
  const records: { partition: number; offset: string; timestampMs: number; key: string | null; value: string }[] = [];
  await kafka.readRanges(topic, offsets.map((p) => ({ partition: p.partition, from: p.earliest, to: p.end })), async (partition, page) => {
    for (const r of page) records.push({ partition, offset: r.offset, timestampMs: Number(r.timestamp), key: r.key?.toString('utf8') ?? null, value: r.value?.toString('utf8') ?? '' });
  });
  return { offsets, records };
}

export async function auditTopics(src: AuditSources, topics: readonly TopicUnderTest[]): Promise<TopicAudit[]> {
  const kafka = await openAuditKafka({ brokers: src.brokers, clientId: 'kta-chaos', security: { protocol: 'PLAINTEXT' } });
  try {
    const audits: TopicAudit[] = [];
    for (const t of topics) {
      const { offsets, records } = await readAll(kafka, t.topic, src.groupId);
      const dlq = await readAll(kafka, t.deadLetterTopic, src.groupId);
      const output = t.outputTopic ? (await readAll(kafka, t.outputTopic, src.groupId)).records : [];
      const deadLettered = new Set(dlq.records.map((r) => {
        const original = (JSON.parse(r.value) as { original: { partition: number; offset: string } }).original;
        return at(original.partition, original.offset);
      }));
      const { rows: skipRows } = await src.pool.query<{ partition: number; offset: string }>(
        'SELECT partition, "offset"::text AS "offset" FROM skipped_records WHERE topic = $1', [t.topic]).catch(() => ({ rows: [] as { partition: number; offset: string }[] }));
      const skipped = new Set(skipRows.map((r) => at(r.partition, r.offset)));

      const runs = await listRuns(src.client, t.topic);
      const handled = new Map<string, number>();
      const runByOffset = new Map<string, WorkflowExecutionInfo>();
      const batchDoneAt = new Map<string, number>();
      if (t.profile.mode === 'throughput') {
        // One row per offset (the table's key): done, or a dead letter the batch made.
        const { rows } = await src.pool.query<{ partition: number; offset: string; recorded_at: Date; done_at: Date | null }>(
          `SELECT partition, "offset"::text AS "offset", recorded_at, done_at FROM throughput_results WHERE topic = $1 AND status IN ('done', 'dead-letter')`, [t.topic]);
        for (const r of rows) {
          handled.set(at(r.partition, r.offset), 1);
          if (r.done_at) batchDoneAt.set(at(r.partition, r.offset), r.done_at.getTime());
        }
      } else if (t.profile.perKey) {
        const { rows } = await src.pool.query<{ partition: number; offset: string }>(
          'SELECT partition, "offset"::text AS "offset" FROM conversation_turns WHERE entity_id LIKE $1', [`${t.topic}#key=%`]);
        for (const r of rows) handled.set(at(r.partition, r.offset), (handled.get(at(r.partition, r.offset)) ?? 0) + 1);
      } else {
        for (const wf of runs) {
          const partition = wf.typedSearchAttributes.get(KAFKA_PARTITION);
          const offset = wf.typedSearchAttributes.get(KAFKA_OFFSET);
          if (partition === undefined || offset === undefined) continue;
          const k = at(partition, offset);
          handled.set(k, (handled.get(k) ?? 0) + 1);
          runByOffset.set(k, wf);
        }
      }
      const examples: string[] = [];
      let neither = 0;
      let twice = 0;
      const toStartMs: number[] = [];
      const toCloseMs: number[] = [];
      for (const r of records) {
        const k = at(r.partition, r.offset);
        const n = handled.get(k) ?? 0;
        if (n === 0 && !deadLettered.has(k) && !skipped.has(k)) {
          neither++;
          if (examples.length < 5) examples.push(`${t.topic}[${k}] has neither a run nor a dead letter`);
        }
        if (n > 1) {
          twice++;
          if (examples.length < 5) examples.push(`${t.topic}[${k}] has ${n} runs`);
        }
        const doneAt = batchDoneAt.get(k);
        if (doneAt !== undefined) toCloseMs.push(doneAt - r.timestampMs);
        const run = runByOffset.get(k);
        if (run) {
          toStartMs.push(run.startTime.getTime() - r.timestampMs);
          if (run.closeTime) toCloseMs.push(run.closeTime.getTime() - r.timestampMs);
        }
      }
      const completedRuns = runs.filter((wf) => wf.status.name === 'COMPLETED').length;
      const failedRuns = new Set(runs.filter((wf) => ['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(wf.status.name)).map((wf) => wf.workflowId));
      const effects = await t.profile.countEffects({ topic: t.topic, pool: src.pool, booking: src.booking, outputKeys: output.map((r) => r.key), completedRuns, failedRuns });
      audits.push({
        topic: t.topic,
        workflowType: t.profile.workflowType,
        records: records.length,
        runs: runs.length,
        // A throughput route's partition runs stay open by design (they wait for the next batch).
        openRuns: t.profile.mode === 'throughput' ? 0 : runs.filter((wf) => wf.status.name === 'RUNNING').length,
        deadLetters: dlq.records.length,
        businessKeySkips: skipped.size,
        uncommitted: offsets.reduce((sum, p) => sum + Math.max(0, p.end - (p.committed ?? p.earliest)), 0),
        offsetsWithNeither: neither,
        offsetsWithTwoRuns: twice,
        effects,
        toStartMs,
        toCloseMs,
        examples,
      });
    }
    return audits;
  } finally {
    await kafka.close();
  }
}
