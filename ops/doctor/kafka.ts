// The doctor's Kafka checks: the brokers, each route's topic and dead-letter topic, topic retention
// against the namespace's, and the bridge group's lag.
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '../../lib/kafka-client';
import { deadLetterTopicFor } from '../../lib/dead-letter';
import { checkRetention } from '../../bridge/retention-check';
import type { DoctorCheck, DoctorContext } from './runner';
import { clientTimeoutMs, opened, securityFailure } from './runner';
import { kafkaSecurityFailure } from '../../lib/kafka-failure';
import { CONSUMER_OFFSETS_TOPIC, groupLag, lagBeforeAnyCommit } from '../group-lag';

/** The routes' topics, split by whether the broker has them (listed once, by the kafka check). */
function routeTopics(ctx: DoctorContext) {
  const config = opened(ctx, 'config');
  const { admin, topics: existing } = opened(ctx, 'kafka');
  const wanted = [...new Set(config.routes.map((r) => r.topic))];
  return { config, admin, existing, present: wanted.filter((t) => existing.has(t)), missing: wanted.filter((t) => !existing.has(t)) };
}

export const kafkaCheck: DoctorCheck = {
  name: 'kafka',
  needs: [],
  async run(ctx) {
    const kafkaConfig = opened(ctx, 'config').kafka;
    const { brokers } = kafkaConfig;
    // No retries: the doctor reports a dead broker once, within its timeout, instead of waiting it out.
    const kafka = new Kafka({ ...kafkaClientOptions(kafkaConfig, 'doctor'), logLevel: logLevel.NOTHING, connectionTimeout: clientTimeoutMs(ctx), retry: { retries: 0 } });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      ctx.kafka = { admin, topics: new Set(await admin.listTopics()) };
      const nodes = cluster.brokers.map((b) => `${b.host}:${b.port}`).join(', ');
      return { status: 'ok', message: `reached ${brokers.join(',')}: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s) (${nodes})`, details: { clusterId: cluster.clusterId, brokers: cluster.brokers } };
    } catch (err) {
      await admin.disconnect().catch(() => undefined);
      const refused = kafkaSecurityFailure(err, kafkaConfig);
      if (refused) return securityFailure(refused);
      return { status: 'fail', message: `cannot reach Kafka at ${brokers.join(',')}: ${(err as Error).message}`, fix: 'start Kafka (npx kta stack up) or set KAFKA_BROKERS to host:port of reachable brokers' };
    }
  },
};

export const topicsCheck: DoctorCheck = {
  name: 'topics',
  needs: ['kafka'],
  async run(ctx) {
    const { config, admin, present, missing } = routeTopics(ctx);
    const metadata = present.length ? (await admin.fetchTopicMetadata({ topics: present })).topics : [];
    const topics = metadata.map((t) => ({ topic: t.name, partitions: t.partitions.length }));
    const found = topics.map((t) => `${t.topic} (${t.partitions} partition${t.partitions === 1 ? '' : 's'})`).join(', ');
    if (missing.length === 0) return { status: 'ok', message: `every route topic exists: ${found}`, details: { topics } };
    return {
      status: 'fail',
      message: `route topic${missing.length === 1 ? '' : 's'} ${missing.join(', ')} do${missing.length === 1 ? 'es' : ''} not exist${found ? `; found ${found}` : ''}`,
      fix: `create ${missing.length === 1 ? 'it' : 'them'}: ${missing.map((t) => `npx kta topics create ${t} --partitions 1`).join(' && ')} (more partitions, more bridge members in parallel), or correct the topic in ROUTES`,
      details: { topics, missing },
    };
  },
};

export const deadLetterTopicsCheck: DoctorCheck = {
  name: 'dead-letter-topics',
  needs: ['kafka'],
  async run(ctx) {
    const { config, existing } = routeTopics(ctx);
    const wanted = [...new Set(config.routes.map((r) => deadLetterTopicFor(r.topic, r.deadLetterTopic)))];
    const missing = wanted.filter((t) => !existing.has(t));
    const details = { deadLetterTopics: wanted, missing };
    if (missing.length === 0) return { status: 'ok', message: `every dead-letter topic exists: ${wanted.join(', ')}`, details };
    return {
      status: 'warn',
      message: `dead-letter topic${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not created yet; the bridge creates ${missing.length === 1 ? 'it' : 'them'} (1 partition) when it starts`,
      fix: 'start the bridge (npx kta bridge), or create them yourself if the bridge may not create topics',
      details,
    };
  },
};

export const retentionCheck: DoctorCheck = {
  name: 'retention',
  needs: ['temporal', 'kafka'],
  async run(ctx) {
    const { config, admin, present: topics } = routeTopics(ctx);
    if (topics.length === 0) return { status: 'ok', message: 'no route topic exists yet; nothing to compare', details: { findings: [] } };
    const findings = await checkRetention(opened(ctx, 'temporal').client, admin, config.temporal.namespace, topics);
    const long = findings.filter((f) => !f.ok);
    const details = { findings: findings.map(({ message: _m, ...f }) => f) };
    if (long.length === 0) return { status: 'ok', message: findings.map((f) => f.message).join('; '), details };
    const nsHours = Math.ceil(long[0].namespaceRetentionMs / 3_600_000);
    return {
      status: 'warn',
      message: long.map((f) => f.message).join('; '),
      fix: `keep runs at least as long as records: raise namespace ${config.temporal.namespace}'s retention, or set retention.ms of ${long.map((f) => f.topic).join(', ')} to at most ${nsHours} h`,
      details,
    };
  },
};

export const consumerGroupCheck: DoctorCheck = {
  name: 'consumer-group',
  needs: ['kafka'],
  async run(ctx) {
    const { config, admin, existing, present: topics } = routeTopics(ctx);
    const { groupId, fromBeginning } = config.kafka;
    const startsAt = fromBeginning ? 'the earliest retained record (KAFKA_FROM_BEGINNING=true)' : 'the end of each partition (KAFKA_FROM_BEGINNING=false)';
    // Without the offsets topic no group has ever committed on this cluster, so this one has nothing
    // to find; asking anyway only meets a coordinator that does not exist yet.
    if (!existing.has(CONSUMER_OFFSETS_TOPIC)) {
      const lags = await lagBeforeAnyCommit(admin, topics, fromBeginning);
      const perTopic = lags.map((l) => `${l.topic} ${l.lag} records to read`).join(', ');
      return {
        status: 'ok',
        message: `group ${groupId} does not exist yet (no group has committed offsets on this cluster); the bridge will start from ${startsAt}${perTopic ? `: ${perTopic}` : ''}`,
        details: { groupId, state: 'None', members: 0, topics: lags },
      };
    }
    const [group] = (await admin.describeGroups([groupId])).groups;
    const lags = await groupLag(admin, groupId, topics, fromBeginning);
    const members = group?.members.length ?? 0;
    const state = group?.state ?? 'Unknown';
    const perTopic = lags.map((l) =>
      l.committedPartitions === 0
        ? `${l.topic} no committed offsets yet (${l.lag} records to read${fromBeginning ? ' from the beginning' : ''})`
        : `${l.topic} lag ${l.lag} (${l.committedPartitions}/${l.partitions.length} partitions committed)`);
    return {
      status: 'ok',
      message: `group ${groupId} (${state}, ${members} member${members === 1 ? '' : 's'}): ${perTopic.join(', ') || 'no route topic exists yet'}`,
      details: { groupId, state, members, topics: lags },
    };
  },
};
