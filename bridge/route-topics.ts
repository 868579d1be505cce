// Start-up checks on the Kafka side, so a misconfigured bridge stops with one line naming the setting
// to fix (KAFKA_BROKERS, ROUTES) instead of a client library's stack trace.
import type { Admin } from 'kafkajs';
import type { Route } from '../config';
import { ServiceUnavailableError, TopicMissingError } from '../errors';

/** Connects the admin client (kafkajs retries for about 12 s first); a failure names KAFKA_BROKERS. */
export async function connectKafkaAdmin(admin: Admin, brokers: readonly string[]): Promise<void> {
  try {
    await admin.connect();
  } catch (err) {
    throw new ServiceUnavailableError('Kafka', brokers.join(','), 'start Kafka (npx kta stack up) or set KAFKA_BROKERS to host:port of reachable brokers', { cause: err });
  }
}

/** Throws for the first route topic the brokers do not have: nothing of a half-configured bridge starts. */
export async function assertRouteTopicsExist(admin: Admin, routes: readonly Route[], brokers: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  for (const topic of new Set(routes.map((r) => r.topic))) {
    if (!existing.has(topic)) throw new TopicMissingError(topic, [...new Set(routes.filter((r) => r.topic === topic).map((r) => r.workflowType))], brokers);
  }
}
