// The doctor's Temporal checks: the frontend and namespace, the search attributes every run carries,
// the bridge's heartbeat budget, and a worker polling each route's task queue.
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { Client, Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType, type SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { tsToMs } from '@temporalio/common/lib/time';
import { checkHeartbeatBudget, measureStartLatencyP99Ms } from '../../bridge/heartbeat-budget';
import { namespaceRetentionMs } from '../../bridge/retention-check';
import { ConfigError } from '../../errors';
import { checkTemporalTls, temporalSecurityFailure } from '../../lib/temporal-failure';
import * as searchAttributes from '../../workflows/search-attributes';
import type { CheckOutcome, DoctorCheck } from './runner';
import { clientTimeoutMs, opened, securityFailure } from './runner';

const GRPC_NOT_FOUND = 5;
// temporal.api.enums.v1.TaskQueueType: the two queues a worker polls for one task queue name.
const TASK_QUEUE_TYPES = [{ type: 1, label: 'workflow' }, { type: 2, label: 'activity' }] as const;
// A live worker polls again at least every ~70 s (the server answers an idle long poll after about
// 60 s); the server lists a poller for minutes after it stopped, so only a recent poll counts.
export const POLLER_RECENT_MS = 120_000;

const hours = (ms: number) => `${Math.round(ms / 3_600_000)} h`;

export const temporalCheck: DoctorCheck = {
  name: 'temporal',
  needs: [],
  async run(ctx) {
    const { address, namespace } = opened(ctx, 'config').temporal;
    let connection: Connection;
    const refusedAtOnce = await checkTemporalTls(opened(ctx, 'config').temporal);
    if (refusedAtOnce) return securityFailure(refusedAtOnce);
    try {
      connection = await Connection.connect({ ...temporalConnectionOptions(opened(ctx, 'config').temporal), connectTimeout: clientTimeoutMs(ctx) });
    } catch (err) {
      const refused = temporalSecurityFailure(err, opened(ctx, 'config').temporal);
      if (refused) return securityFailure(refused);
      return { status: 'fail', message: `cannot connect to Temporal at ${address}: ${(err as Error).message}`, fix: 'start Temporal (npx kta stack up) or set TEMPORAL_ADDRESS to the frontend host:port' };
    }
    const client = new Client({ connection, namespace });
    ctx.temporal = { connection, client };
    try {
      const retentionMs = await namespaceRetentionMs(client, namespace);
      return { status: 'ok', message: `connected to ${address}, namespace ${namespace} (retention ${hours(retentionMs)})`, details: { address, namespace, retentionMs } };
    } catch (err) {
      if ((err as { code?: number }).code !== GRPC_NOT_FOUND) throw err;
      return { status: 'fail', message: `namespace ${namespace} does not exist on ${address}`, fix: `create it (temporal operator namespace create --address ${address} -n ${namespace} --retention 168h) or set TEMPORAL_NAMESPACE` };
    }
  },
};

/** The keys workflows/search-attributes.ts defines, found by shape so a new key is checked too. */
export function workflowSearchAttributes(): SearchAttributeKey<SearchAttributeType>[] {
  const types = new Set<unknown>(Object.values(SearchAttributeType));
  return Object.values(searchAttributes as Record<string, unknown>).filter(
    (v): v is SearchAttributeKey<SearchAttributeType> => typeof v === 'object' && v !== null && 'name' in v && 'type' in v && types.has(v.type),
  );
}

/** The CLI's spelling of a type: KEYWORD_LIST -> KeywordList. */
const cliType = (type: SearchAttributeType) => type.toLowerCase().replace(/(^|_)(\w)/g, (_m, _s: string, c: string) => c.toUpperCase());

export const searchAttributesCheck: DoctorCheck = {
  name: 'search-attributes',
  needs: ['temporal'],
  async run(ctx) {
    const { address, namespace } = opened(ctx, 'config').temporal;
    const { connection } = opened(ctx, 'temporal');
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const wanted = workflowSearchAttributes();
    const missing = wanted.filter((k) => customAttributes[k.name] === undefined);
    const wrongType = wanted.filter((k) => customAttributes[k.name] !== undefined && customAttributes[k.name] !== encodeSearchAttributeIndexedValueType(k.type));
    const listed = wanted.map((k) => `${k.name} (${cliType(k.type)})`).join(', ');
    const details = { namespace, wanted: wanted.map((k) => ({ name: k.name, type: cliType(k.type) })), missing: missing.map((k) => k.name), wrongType: wrongType.map((k) => k.name) };
    if (missing.length === 0 && wrongType.length === 0) return { status: 'ok', message: `${listed} registered in namespace ${namespace}`, details };
    const problems = [
      ...missing.map((k) => `${k.name} (${cliType(k.type)}) is not registered`),
      ...wrongType.map((k) => `${k.name} is registered with another type than ${cliType(k.type)}`),
    ];
    return {
      status: 'fail',
      message: `namespace ${namespace}: ${problems.join('; ')}; starts of runs that set them are refused`,
      fix: [
        ...missing.map((k) => `temporal operator search-attribute create --address ${address} --namespace ${namespace} --name ${k.name} --type ${cliType(k.type)}`),
        ...wrongType.map((k) => `remove ${k.name} (temporal operator search-attribute remove --address ${address} --namespace ${namespace} --name ${k.name}) and create it with --type ${cliType(k.type)}`),
      ].join(' && '),
      details,
    };
  },
};

export const heartbeatBudgetCheck: DoctorCheck = {
  name: 'heartbeat-budget',
  // As in the bridge: BRIDGE_P99_START_LATENCY_MS replaces the measurement, which needs Temporal.
  needs: (config) => (config.bridge.p99StartLatencyMs ? [] : ['temporal']),
  async run(ctx): Promise<CheckOutcome> {
    const config = opened(ctx, 'config');
    const measured = !config.bridge.p99StartLatencyMs;
    const p99StartLatencyMs = config.bridge.p99StartLatencyMs || (await measureStartLatencyP99Ms(opened(ctx, 'temporal').client, config.temporal.namespace));
    const source = measured ? `p99 start latency measured against ${config.temporal.address}` : 'p99 start latency from BRIDGE_P99_START_LATENCY_MS';
    try {
      const budget = checkHeartbeatBudget({ ...config.kafka, p99StartLatencyMs });
      return { status: 'ok', message: `${budget.message} (${source})`, details: { ...budget, sessionTimeoutMs: config.kafka.sessionTimeoutMs, heartbeatIntervalMs: config.kafka.heartbeatIntervalMs, measured } };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return { status: 'fail', message: `${err.problems.join('; ')} (${source}); the bridge refuses to start`, fix: 'raise KAFKA_SESSION_TIMEOUT_MS or lower KAFKA_HEARTBEAT_INTERVAL_MS as the message says', details: { problems: err.problems, p99StartLatencyMs, measured } };
    }
  },
};

export const workersCheck: DoctorCheck = {
  name: 'workers',
  needs: ['temporal'],
  async run(ctx) {
    const config = opened(ctx, 'config');
    const { connection } = opened(ctx, 'temporal');
    const queues = [...new Set(config.routes.map((r) => r.taskQueue))];
    const now = Date.now();
    const found = await Promise.all(queues.map(async (taskQueue) => {
      const pollers = await Promise.all(TASK_QUEUE_TYPES.map(async ({ type, label }) => {
        const res = await connection.workflowService.describeTaskQueue({ namespace: config.temporal.namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
        const recent = (res.pollers ?? []).filter((p) => now - tsToMs(p.lastAccessTime) <= POLLER_RECENT_MS);
        return [label, recent.length] as const;
      }));
      return { taskQueue, ...Object.fromEntries(pollers) } as { taskQueue: string; workflow: number; activity: number };
    }));
    const idle = found.filter((q) => q.workflow === 0 || q.activity === 0);
    const summary = found.map((q) => `${q.taskQueue} (${q.workflow} workflow, ${q.activity} activity pollers)`).join(', ');
    if (idle.length === 0) return { status: 'ok', message: `workers poll every route's task queue: ${summary}`, details: { taskQueues: found } };
    return {
      status: 'fail',
      message: idle.map((q) => `no worker polls task queue ${q.taskQueue} (${q.workflow} workflow, ${q.activity} activity pollers in the last ${POLLER_RECENT_MS / 1000} s)`).join('; '),
      fix: idle.map((q) => `start \`npx kta worker\` with WORKER_TASK_QUEUE=${q.taskQueue}`).join('; '),
      details: { taskQueues: found },
    };
  },
};
