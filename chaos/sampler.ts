// Samples the run every two seconds for the timeline and the memory figures: records produced, runs
// started and closed (visibility counts), the group's lag, and the resident memory of the bridges and
// workers (VmRSS from /proc). A sample that cannot be taken (Temporal or Kafka down for a fault)
// keeps the last known value.
import type { Client } from '@temporalio/client';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { groupLag } from '../ops/group-lag';
import type { ProducerProgress } from './producer';
import type { ChaosServices } from './services';

export interface Sample {
  readonly tMs: number;
  readonly produced: number;
  readonly started: number;
  readonly closed: number;
  readonly lag: number;
  /** The same lag per topic (in the report's JSON: which route a flat lag belongs to). */
  readonly lagByTopic: Readonly<Record<string, number>>;
  readonly bridgeRssBytes: number;
  readonly workerRssBytes: number;
}

const SAMPLE_MS = 2_000;

export function startSampler(opts: { client: Client; brokers: string[]; groupId: string; topics: string[]; perRecordTopics: string[]; producer: ProducerProgress; services: ChaosServices; log: (line: string) => void }) {
  const samples: Sample[] = [];
  const kafka = new Kafka({ clientId: 'chaos-sampler', brokers: opts.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 10_000, retry: { retries: 1 } });
  let admin: Admin | undefined;
  // Unknown until the first reading: nothing may look settled before the lag was read once.
  let last = { started: 0, closed: 0, lag: Number.POSITIVE_INFINITY, lagByTopic: {} as Record<string, number> };
  let lagFailures = 0;
  const topicsQuery = `KafkaTopic IN (${opts.perRecordTopics.map((t) => JSON.stringify(t)).join(', ')})`;
  const lag = async (): Promise<{ total: number; byTopic: Record<string, number> }> => {
    if (!admin) {
      admin = kafka.admin();
      await admin.connect();
    }
    // The same count as `kta status` and the bridge's lag gauge; the chaos bridges read from the beginning.
    const lags = await groupLag(admin, opts.groupId, opts.topics, true);
    return { total: lags.reduce((sum, t) => sum + t.lag, 0), byTopic: Object.fromEntries(lags.map((t) => [t.topic, t.lag])) };
  };
  const take = async () => {
    const [started, closed, lagNow] = await Promise.all([
      opts.client.workflow.count(topicsQuery).then((c) => c.count, () => last.started),
      opts.client.workflow.count(`${topicsQuery} AND ExecutionStatus != "Running"`).then((c) => c.count, () => last.closed),
      lag().catch(async (err: unknown) => {
        if (!lagFailures++) opts.log(`sampler: the group's lag could not be read (${(err as Error).message}); keeping the last value until it can`);
        await admin?.disconnect().catch(() => undefined);
        admin = undefined;
        return { total: last.lag, byTopic: last.lagByTopic };
      }),
    ]);
    last = { started, closed, lag: lagNow.total, lagByTopic: lagNow.byTopic };
    const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
    samples.push({ tMs: Date.now(), produced: opts.producer.produced, started, closed, lag: lagNow.total, lagByTopic: lagNow.byTopic, bridgeRssBytes: max(opts.services.rss('bridge')), workerRssBytes: max(opts.services.rss('worker')) });
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void take().finally(() => (busy = false));
  }, SAMPLE_MS);
  return {
    samples,
    latest: () => samples.at(-1),
    async stop() {
      clearInterval(timer);
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
