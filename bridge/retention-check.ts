// The dedup window is the namespace retention: a record redelivered after its run was deleted would
// start a second run. Warn when a topic keeps records longer than Temporal keeps runs.
import type { Client } from '@temporalio/client';
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS: this enum is not visible as a named ESM export.
const { ConfigResourceTypes } = kafkajs;

export interface RetentionFinding {
  readonly topic: string;
  readonly topicRetentionMs: number | 'infinite';
  readonly namespaceRetentionMs: number;
  readonly ok: boolean;
  readonly message: string;
}

export async function namespaceRetentionMs(client: Client, namespace: string): Promise<number> {
  const ns = await client.workflowService.describeNamespace({ namespace });
  const ttl = ns.config?.workflowExecutionRetentionTtl;
  return Number(ttl?.seconds ?? 0) * 1000 + Math.round((ttl?.nanos ?? 0) / 1e6);
}

export async function checkRetention(client: Client, admin: Admin, namespace: string, topics: string[]): Promise<RetentionFinding[]> {
  const nsMs = await namespaceRetentionMs(client, namespace);
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })),
  });
  return described.resources.map((r) => {
    const raw = Number(r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue ?? '604800000');
    const topicMs = raw < 0 ? 'infinite' : raw;
    const ok = topicMs !== 'infinite' && topicMs <= nsMs;
    const hours = (ms: number) => `${Math.round(ms / 3_600_000)} h`;
    return {
      topic: r.resourceName,
      topicRetentionMs: topicMs,
      namespaceRetentionMs: nsMs,
      ok,
      message: ok
        ? `topic ${r.resourceName} retention (${hours(topicMs as number)}) is within namespace ${namespace} retention (${hours(nsMs)})`
        : `topic ${r.resourceName} keeps records for ${topicMs === 'infinite' ? 'ever' : hours(topicMs)} but namespace ${namespace} keeps runs for ${hours(nsMs)}: ` +
          `a record redelivered after its run is deleted would run again. Raise the retention (temporal operator namespace update -n ${namespace} --retention ${Math.ceil((topicMs === 'infinite' ? 30 * 86_400_000 : topicMs) / 3_600_000)}h) or shorten the topic's retention.ms`,
    };
  });
}
