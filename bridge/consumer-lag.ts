// The consumer-lag gauge: per topic and partition this bridge holds, the log end (high watermark)
// minus the group's committed offset, which is the next record the bridge starts (it commits only
// what Temporal acknowledged). Counted at scrape time with ops/group-lag.ts, the same count as
// `kta doctor` and `kta status`, so the three never disagree. Only held partitions are reported: the
// sum over every bridge replica is the group's lag, with no partition counted twice.
import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../lib/logger';
import { groupLag } from '../ops/group-lag';
import type { GroupMembership } from './group-membership';

export interface ConsumerLagDeps {
  readonly registry: Registry;
  readonly admin: Admin;
  readonly groupId: string;
  readonly fromBeginning: boolean;
  readonly membership: GroupMembership;
  readonly log: Logger;
}

export function registerConsumerLag(deps: ConsumerLagDeps): Gauge {
  const { admin, groupId, fromBeginning, membership, log } = deps;
  return new Gauge({
    name: 'kta_bridge_consumer_lag',
    help: 'Records not yet started and committed: the partition\'s high watermark minus the group\'s committed offset (partitions this bridge holds)',
    labelNames: ['topic', 'partition'],
    registers: [deps.registry],
    async collect() {
      this.reset();
      const held = membership.partitions();
      const topics = [...new Set(held.map((p) => p.topic))];
      if (!topics.length) return;
      try {
        for (const t of await groupLag(admin, groupId, topics, fromBeginning)) {
          for (const p of t.partitions) {
            if (held.some((h) => h.topic === t.topic && h.partition === p.partition)) this.set({ topic: t.topic, partition: String(p.partition) }, p.lag);
          }
        }
      } catch (err) {
        // A scrape while Kafka is unreachable shows no lag series rather than failing the whole scrape.
        log.debug({ err: (err as Error).message }, 'consumer lag not measured for this scrape');
      }
    },
  });
}
