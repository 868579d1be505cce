// The audit (`kta audit`): proves invariant 2 (nothing is ever skipped) for the configured routes. For each route
// topic and partition it reads the records of the audited range from Kafka, runs each through the
// bridge's own router, and checks that what the bridge should have left behind exists: the run in
// Temporal, the dead letter or business-key skip row in PostgreSQL, the per-key entity's turn. The range
// defaults to [earliest retained offset, the bridge group's committed offset): what the bridge claims.
// Returns the report; it rejects when the audit could not run (nothing proved either way).
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { recordSpecs } from '../../agents/record-specs';
import { Client, Connection } from '@temporalio/client';
import { deadLetterTopicFor } from '../../lib/dead-letter';
import { namespaceRetentionMs } from '../../bridge/retention-check';
import { createRouter } from '../../bridge/route';
import type { Config } from '../../config';
import { NoRouteError } from '../../errors';
import { existingTables, gatherEvidence, type EvidenceSources } from './evidence';
import { expectationsOf, judge } from './judge';
import { openAuditKafka, type PartitionOffsets } from '../kafka-records';
import { tally, type AuditReport, type MissingWithFix, type PartitionAudit } from './report';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';

export interface AuditOptions {
  readonly topic?: string;
  readonly partition?: number;
  readonly fromOffset?: number;
  /** Inclusive. */
  readonly toOffset?: number;
}

/** The audited offsets of one partition, [from, to), and what the reader should know about them. */
export function auditRange(p: PartitionOffsets, opts: AuditOptions, groupId: string): { from: number; to: number; notes: string[] } {
  const notes: string[] = [];
  if (opts.fromOffset !== undefined && opts.fromOffset < p.earliest) notes.push(`offsets below ${p.earliest} are no longer retained and cannot be audited`);
  const from = Math.max(p.earliest, opts.fromOffset ?? p.earliest);
  let to: number;
  if (opts.toOffset !== undefined) {
    to = Math.min(opts.toOffset + 1, p.end);
    if (to > (p.committed ?? 0)) notes.push(`the range passes the group's committed offset (${p.committed ?? 'none'}): a record there may be missing only because the bridge has not reached it yet`);
  } else if (p.committed === undefined) {
    to = from;
    notes.push(`group ${groupId} has committed no offset here, so the bridge claims nothing (or the group's offsets expired); give --to-offset to audit anyway`);
  } else {
    to = Math.min(p.committed, p.end);
    if (p.committed > p.end) notes.push(`the committed offset ${p.committed} is past the log end ${p.end}: the topic was recreated or truncated`);
    if (p.committed < p.earliest) notes.push(`the committed offset ${p.committed} is below the earliest retained offset ${p.earliest}: records ${p.committed}..${p.earliest - 1} were deleted by retention before the bridge read them`);
  }
  return { from, to: Math.max(from, to), notes };
}

export async function runAudit(config: Config, opts: AuditOptions): Promise<AuditReport> {
  const router = createRouter(config.routes, config.bridge, recordSpecs());
  const { groupId } = config.kafka;
  const topics = [...new Set(config.routes.map((r) => r.topic))].filter((t) => opts.topic === undefined || t === opts.topic);
  if (opts.topic !== undefined && topics.length === 0) throw new NoRouteError(opts.topic);
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const pool = createPool(config.databaseUrl, stderrPoolLog, { name: 'audit', max: 4 });
  const kafka = await openAuditKafka(config.kafka).catch(async (err: unknown) => {
    await Promise.allSettled([pool.end(), connection.close()]);
    throw err;
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const src: EvidenceSources = { client, pool, tables: await existingTables(pool), owners: new Map() };
    const retentionMs = await namespaceRetentionMs(client, config.temporal.namespace);
    const partitions: PartitionAudit[] = [];
    const missing: MissingWithFix[] = [];
    for (const topic of topics) {
      const route = config.routes.find((r) => r.topic === topic)!;
      const offsets = (await kafka.partitionOffsets(topic, groupId)).filter((p) => opts.partition === undefined || p.partition === opts.partition);
      if (offsets.length === 0) throw new Error(`topic ${topic} has no partition ${opts.partition}; leave out --partition or give one the topic has`);
      const audits = new Map(offsets.map((p): [number, PartitionAudit] => [p.partition, {
        topic,
        partition: p.partition,
        deadLetterTopic: deadLetterTopicFor(topic, route.deadLetterTopic),
        earliest: p.earliest,
        end: p.end,
        committed: p.committed ?? null,
        ...auditRange(p, opts, groupId),
        records: 0, runs: 0, deadLetters: 0, skippedByBusinessKey: 0, entityHandled: 0, batchHandled: 0, missing: 0,
      }]));
      await kafka.readRanges(topic, [...audits.values()], async (partition, records) => {
        const audit = audits.get(partition)!;
        audit.records += records.length;
        const expectations = records.flatMap((r) => expectationsOf(r, router(r)));
        const evidence = await gatherEvidence(src, topic, partition, expectations);
        for (const e of expectations) {
          const m = tally(audit, judge(e, evidence, retentionMs), groupId);
          if (m) missing.push(m);
        }
      });
      partitions.push(...audits.values());
    }
    missing.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    return { ok: missing.length === 0, groupId, partitions, missing };
  } finally {
    await Promise.allSettled([kafka.close(), pool.end(), connection.close()]);
  }
}
