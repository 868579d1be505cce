// Gathers `kta status` from the services the bridge and the worker use: Kafka (the group's lag),
// Temporal visibility (runs per route), PostgreSQL (dead letters, the model limiter and its ledger)
// and, when given, bridges' /stats. Each source is read under its own time limit and fails alone.
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '../../lib/kafka-client';
import type { Pool } from 'pg';
import { TokenLimiter, limiterKeyFor } from '../../activities/llm/limiter/token-limiter';
import type { Config, Route } from '../../config';
import { AgentStatus } from '../../workflows/search-attributes';
import { groupLag, type TopicLag } from '../group-lag';
import { readBridge } from './bridges';
import { pauseOutlook, readWithin, type DeadLetterCounts, type LimiterStatus, type Reading, type RunCounts, type StatusReport } from './report';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';

export const STATUS_TIMEOUT_MS = 5_000;
const HOUR_MS = 3_600_000;

export interface StatusOptions {
  /** Base URLs of bridges' metrics servers (METRICS_PORT), e.g. http://127.0.0.1:9464. */
  readonly bridges?: readonly string[];
  /** Time limit of each source. */
  readonly timeoutMs?: number;
}

/** A client's own timeout, shorter than the reading's so its error (refused, unknown host) is what shows. */
const clientMs = (timeoutMs: number) => Math.max(500, Math.floor(timeoutMs * 0.8));

const missingTopic = (topic: string): Reading<TopicLag> => ({ ok: false, error: `topic ${topic} does not exist; create it or correct the route (npx kta doctor)` });

async function readLags(config: Config, topics: string[], timeoutMs: number): Promise<Reading<Map<string, Reading<TopicLag>>>> {
  const { brokers, clientId, groupId, fromBeginning } = config.kafka;
  return readWithin(`Kafka at ${brokers.join(',')}`, timeoutMs, async () => {
    // No retries: a dead broker is reported once, within the time limit, instead of being waited out.
    const kafka = new Kafka({ ...kafkaClientOptions(config.kafka, 'status'), logLevel: logLevel.NOTHING, connectionTimeout: clientMs(timeoutMs), retry: { retries: 0 } });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      const lags = await groupLag(admin, groupId, topics.filter((t) => existing.has(t)), fromBeginning);
      return new Map(topics.map((t) => {
        const lag = lags.find((l) => l.topic === t);
        return [t, lag ? { ok: true, value: lag } : missingTopic(t)];
      }));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
}

/** The visibility query for one route's runs; the bridge's open-run bound counts the same ones. */
const routeQuery = (route: Route) => `KafkaTopic = "${route.topic}" AND WorkflowType = "${route.workflowType}"`;

/**
 * Runs by AgentStatus. A run that completes normally may leave AgentStatus as the bridge set it at
 * start (Running): tagReview does, to save a billable search-attribute upsert per record (README
 * "Cost model"). Such a run counts as Completed, and Running means an open run.
 */
function agentStatusQuery(status: AgentStatus): string {
  if (status === AgentStatus.Running) return '(AgentStatus = "Running" AND ExecutionStatus = "Running")';
  if (status === AgentStatus.Completed) return '(AgentStatus = "Completed" OR (AgentStatus = "Running" AND ExecutionStatus = "Completed"))';
  return `AgentStatus = "${status}"`;
}

async function countRuns(client: Client, route: Route): Promise<RunCounts> {
  const count = async (extra?: string) => (await client.workflow.count(extra ? `${routeQuery(route)} AND ${extra}` : routeQuery(route))).count;
  const statuses = Object.values(AgentStatus);
  const [open, total, ...byStatus] = await Promise.all([count('ExecutionStatus = "Running"'), count(), ...statuses.map((s) => count(agentStatusQuery(s)))]);
  return { open, total, byAgentStatus: Object.fromEntries(statuses.map((s, i) => [s, byStatus[i]])) as RunCounts['byAgentStatus'] };
}

async function readRuns(config: Config, timeoutMs: number): Promise<Reading<RunCounts>[]> {
  const { address, namespace } = config.temporal;
  const what = `Temporal at ${address}/${namespace}`;
  const connecting = Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: clientMs(timeoutMs) });
  const connection = await readWithin(what, timeoutMs, () => connecting);
  if (!connection.ok) {
    // A connection that comes up after the time limit must not keep the process alive.
    void connecting.then((c) => c.close(), () => undefined);
    return config.routes.map(() => connection);
  }
  try {
    const client = new Client({ connection: connection.value, namespace });
    return await Promise.all(config.routes.map((r) => readWithin(what, timeoutMs, () => client.withDeadline(Date.now() + clientMs(timeoutMs), () => countRuns(client, r)))));
  } finally {
    await connection.value.close().catch(() => undefined);
  }
}

async function tablesExist(pool: Pool, tables: string[]): Promise<boolean> {
  const { rows } = await pool.query<{ present: boolean }>('SELECT bool_and(to_regclass(name) IS NOT NULL) AS present FROM unnest($1::text[]) AS name', [tables]);
  return rows[0].present;
}

async function countDeadLetters(pool: Pool, topics: string[]): Promise<Map<string, DeadLetterCounts>> {
  const none = (tableExists: boolean) => new Map(topics.map((t): [string, DeadLetterCounts] => [t, { tableExists, total: 0, lastHour: 0, byClass: [] }]));
  if (!(await tablesExist(pool, ['dead_letters']))) return none(false);
  const { rows } = await pool.query<{ topic: string; class: string; total: number; last_hour: number }>(
    `SELECT topic, class, count(*)::int AS total, (count(*) FILTER (WHERE created_at > now() - make_interval(secs => $2::float8 / 1000)))::int AS last_hour
       FROM dead_letters WHERE topic = ANY($1) GROUP BY topic, class ORDER BY topic, class`,
    [topics, HOUR_MS],
  );
  const counts = none(true);
  for (const r of rows) {
    const c = counts.get(r.topic)!;
    counts.set(r.topic, { ...c, total: c.total + r.total, lastHour: c.lastHour + r.last_hour, byClass: [...c.byClass, { class: r.class, total: r.total, lastHour: r.last_hour }] });
  }
  return counts;
}

async function readLimiter(pool: Pool, llm: Config['llm'], topics: string[]): Promise<LimiterStatus> {
  const limiter = new TokenLimiter(pool, { ...llm.limits, staleAfterMs: llm.requestTimeoutMs });
  const key = limiterKeyFor(llm.provider, llm.model);
  const base = { key, limits: llm.limits, enabled: limiter.enabled };
  // The worker creates the limiter's tables and the call ledger together.
  if (!(await tablesExist(pool, ['llm_usage', 'llm_pause', 'llm_waiting', 'llm_calls']))) return { ...base, saturation: null, lastHour: null };
  const [saturation, { rows }] = await Promise.all([
    limiter.saturation(key),
    // The call ledger (activities/llm/usage-ledger.ts) keeps every call, limits or not; these routes' calls.
    pool.query<{ tokens: string; calls: number; cost_usd: string }>(
      `SELECT COALESCE(sum(prompt_tokens + completion_tokens), 0) AS tokens, count(*)::int AS calls, COALESCE(sum(cost_usd), 0) AS cost_usd
         FROM llm_calls WHERE route_topic = ANY($1::text[]) AND at > clock_timestamp() - make_interval(secs => $2::float8 / 1000)`,
      [topics, HOUR_MS],
    ),
  ]);
  return { ...base, saturation, lastHour: { tokens: Number(rows[0].tokens), calls: rows[0].calls, costUsd: Number(rows[0].cost_usd) } };
}

async function readPostgres(config: Config, topics: string[], timeoutMs: number) {
  // A connection the server drops (restart, admin) is a failed reading and one warning line, never an uncaught error.
  const pool = createPool(config.databaseUrl, stderrPoolLog, { name: 'status', max: 2, connectionTimeoutMillis: clientMs(timeoutMs) });
  // Never print DATABASE_URL: it may hold a password.
  const what = 'PostgreSQL (DATABASE_URL)';
  const [deadLetters, limiter] = await Promise.all([
    readWithin(what, timeoutMs, () => countDeadLetters(pool, topics)),
    readWithin(what, timeoutMs, () => readLimiter(pool, config.llm, topics)),
  ]);
  // A query past its time limit still holds its connection: close the pool without waiting for it.
  const closing = pool.end().catch(() => undefined);
  if (deadLetters.ok && limiter.ok) await closing;
  return { deadLetters, limiter };
}

/** One look at every route, the model limiter and the given bridges. Never throws for a service that is down. */
export async function gatherStatus(config: Config, opts: StatusOptions = {}): Promise<StatusReport> {
  const timeoutMs = opts.timeoutMs ?? STATUS_TIMEOUT_MS;
  const topics = [...new Set(config.routes.map((r) => r.topic))];
  const [lags, runs, { deadLetters, limiter }, bridges] = await Promise.all([
    readLags(config, topics, timeoutMs),
    readRuns(config, timeoutMs),
    readPostgres(config, topics, timeoutMs),
    opts.bridges?.length ? Promise.all(opts.bridges.map((url) => readBridge(url, timeoutMs))) : null,
  ]);
  const routes = config.routes.map((route, i) => ({
    topic: route.topic,
    workflowType: route.workflowType,
    taskQueue: route.taskQueue,
    idPrefix: route.idPrefix ?? null,
    maxOpenRuns: route.maxOpenRuns ?? null,
    pauseOnModelSaturation: route.pauseOnModelSaturation,
    lag: lags.ok ? lags.value.get(route.topic)! : lags,
    runs: runs[i],
    deadLetters: deadLetters.ok ? { ok: true as const, value: deadLetters.value.get(route.topic)! } : deadLetters,
    wouldPause: pauseOutlook(route, runs[i], limiter),
  }));
  return { at: new Date().toISOString(), groupId: config.kafka.groupId, routes, limiter, bridges };
}
