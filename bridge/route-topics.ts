// Start-up checks on the Kafka side, so a misconfigured bridge stops with one line naming the setting
// to fix (KAFKA_BROKERS, ROUTES) instead of a client library's stack trace.
import type { Admin } from 'kafkajs';
import type { Route } from '../config';
import { TopicMissingError } from '../errors';
import type { KafkaConnectionConfig } from '../lib/kafka-client';
import { kafkaConnectFailure } from '../lib/kafka-failure';

/**
 * Connects the admin client (kafkajs retries an unreachable broker for about 12 s first, refused
 * credentials not at all); a failure names the variable to fix: KAFKA_SASL_*, KAFKA_SSL_* or KAFKA_BROKERS.
 */
export async function connectKafkaAdmin(admin: Admin, kafka: KafkaConnectionConfig): Promise<void> {
  try {
    await admin.connect();
  } catch (err) {
    throw kafkaConnectFailure(err, kafka);
  }
}

/** Throws for the first route topic the brokers do not have: nothing of a half-configured bridge starts. */
export async function assertRouteTopicsExist(admin: Admin, routes: readonly Route[], brokers: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  for (const topic of new Set(routes.map((r) => r.topic))) {
    if (!existing.has(topic)) throw new TopicMissingError(topic, [...new Set(routes.filter((r) => r.topic === topic).map((r) => r.workflowType))], brokers);
  }
}
