// The consumer-lag gauge: per topic and partition this bridge holds, the log end (high watermark)
// minus the group's committed offset, which is the next record the bridge starts (it commits only
// what Temporal acknowledged). Counted at scrape time with ops/group-lag.ts, the same count as
// `kta doctor` and `kta status`, so the three never disagree. Only held partitions are reported: the
// sum over every bridge replica is the group's lag, with no partition counted twice.
//
// The count asks Kafka, and a broker that went away or restarted can leave the admin's request
// waiting for its timeout and retries. A scrape must not wait with it: every other series of the
// bridge would be lost with the lag. So the read is bounded; past the bound the scrape reports the
// last values counted, and kta_bridge_consumer_lag_age_seconds says how old they are. One read is in
// flight at a time: a scrape while it is still out joins it instead of queueing another request.
import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../lib/logger';
import { groupLag, type TopicLag } from '../ops/group-lag';
import type { GroupMembership } from './group-membership';

/** How long a scrape waits for Kafka's answer before it reports the last values counted. */
const LAG_READ_TIMEOUT_MS = 2_000;

export interface ConsumerLagDeps {
  readonly registry: Registry;
  readonly admin: Admin;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  readonly membership: GroupMembership;
  readonly log: Logger;
}

type LagRead = { readonly ok: true; readonly lags: TopicLag[] } | { readonly ok: false; readonly reason: string };

export function registerConsumerLag(deps: ConsumerLagDeps): Gauge {
  const { admin, groupId, fromBeginning, membership, log } = deps;
  let inFlight: Promise<LagRead> | undefined;
  /** The last lag counted per "topic\u0000partition", and when. */
  let last = new Map<string, number>();
  let lastAt: number | undefined;
  const startedAt = Date.now();

  const read = (topics: string[]): Promise<LagRead> => {
    inFlight ??= groupLag(admin, groupId, topics, fromBeginning).then(
      (lags): LagRead => ({ ok: true, lags }),
      (err: unknown): LagRead => ({ ok: false, reason: (err as Error).message }),
    ).finally(() => { inFlight = undefined; });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<LagRead>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `Kafka did not answer within ${LAG_READ_TIMEOUT_MS} ms` }), LAG_READ_TIMEOUT_MS);
      timer.unref();
    });
    return Promise.race([inFlight, bound]).finally(() => clearTimeout(timer));
  };

  new Gauge({
    name: 'kta_bridge_consumer_lag_age_seconds',
    help: 'Seconds since kta_bridge_consumer_lag was last counted from Kafka (since start-up before the first count); it grows while Kafka does not answer a scrape in time and the last values are reported',
    registers: [deps.registry],
    collect() {
      this.set(Math.max(0, Date.now() - (lastAt ?? startedAt)) / 1000);
    },
  });

  return new Gauge({
    name: 'kta_bridge_consumer_lag',
    help: 'Records not yet started and committed: the partition\'s high watermark minus the group\'s committed offset (partitions this bridge holds)',
    labelNames: ['topic', 'partition'],
    registers: [deps.registry],
    async collect() {
      this.reset();
      const held = membership.partitions();
      const topics = [...new Set(held.map((p) => p.topic))];
      const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
      if (!topics.length) {
        last = new Map();
        lastAt = Date.now();
        return;
      }
      const result = await read(topics);
      if (result.ok) {
        const counted = new Map<string, number>();
        for (const t of result.lags) {
          for (const p of t.partitions) counted.set(key(t.topic, p.partition), p.lag);
        }
        last = counted;
        lastAt = Date.now();
      } else {
        // Kafka unreachable or slow: the last values stand (their age says so) rather than the scrape failing.
        log.debug({ err: result.reason }, 'consumer lag not counted for this scrape; reporting the last values');
      }
      for (const h of held) {
        const lag = last.get(key(h.topic, h.partition));
        if (lag !== undefined) this.set({ topic: h.topic, partition: String(h.partition) }, lag);
      }
    },
  });
}
