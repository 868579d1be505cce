// The outbox relay's Prometheus series, read from its own counters at scrape time, and the process's.
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxRelayStats } from '../activities/sinks/outbox-relay';

export function createRelayMetrics(stats: () => OutboxRelayStats): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kta_relay_' });
  const counter = (name: string, help: string, field: keyof OutboxRelayStats) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(stats()[field]);
      },
    });
  counter('kta_relay_published_total', 'Outbox rows published to their topics', 'published');
  counter('kta_relay_batches_total', 'Kafka transactions committed', 'batches');
  counter('kta_relay_recovered_total', 'Unsent rows found already published and marked sent on recovery', 'recovered');
  return registry;
}
