// The Temporal dev server (`temporal server start-dev`) with a SQLite file, so workflows survive a
// stop and a restart on the same ports: tests stop Temporal under a running bridge and bring it back.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TemporalNamespaceError, ToolNotPreparedError } from './errors';
import { freePort } from './ports';
import { type ServiceProcess, spawnService } from './process';
import { runCommand } from './run-command';
import { assertPortsFree, waitUntilReady } from './service-ready';
import { cachedTemporalCliPath, findTemporalCli, temporalCliEnv } from './temporal-cli';
import { setNamespaceRetention } from './temporal-namespace';
import { type TemporalClientTls, temporalCliConnectionArgs } from './temporal-tls';

/** Kafka's default topic retention: closed workflows stay inspectable as long as their records. */
export const DEFAULT_RETENTION_HOURS = 168;
export const TEMPORAL_START_TIMEOUT_MS = 60_000;
const HEALTH_PROBE_TIMEOUT_MS = 5_000;
const UI_PROBE_TIMEOUT_MS = 2_000;

// Registered on every start (the server accepts them again on an existing database). The names and
// types must match workflows/search-attributes.ts; change them in both places or not at all.
export const SEARCH_ATTRIBUTES = {
  KafkaTopic: 'Keyword',
  KafkaPartition: 'Int',
  KafkaOffset: 'Int',
  KafkaKey: 'Keyword',
  AgentStatus: 'Keyword',
} as const;

export interface TemporalOptions {
  /** Holds the SQLite file (temporal.db) and, by default, the log. */
  dataDir: string;
  port?: number;
  /** Ignored when `ui` is false. */
  uiPort?: number;
  httpPort?: number;
  metricsPort?: number;
  /** Serve the web UI; on by default because people debug agents there. */
  ui?: boolean;
  retentionHours?: number;
  logFile?: string;
  startTimeoutMs?: number;
  /** The CLI binary; by default PATH, then the tools cache (see ensureTemporalCli). */
  cli?: string;
  /** Server dynamic config (`--dynamic-config-value KEY=VALUE`), e.g. system.enableActivityEagerExecution: true for a bench. */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/** What every local Temporal server offers, the dev server and the PostgreSQL-backed one alike. */
export interface TemporalService {
  readonly kind: 'dev' | 'postgres';
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl: string | undefined;
  readonly port: number;
  readonly httpPort: number;
  readonly metricsPort: number;
  readonly logFile: string;
  /** Client TLS material as files, when the frontend requires mutual TLS. */
  readonly tls: TemporalClientTls | undefined;
  /** The pid of the current (or, after stop, the last) server process. */
  readonly pid: number;
  stop(): Promise<void>;
  /** Stops the server if it runs, then starts it again on the same ports and database. */
  restart(): Promise<void>;
}

export interface TemporalServer extends TemporalService {
  readonly kind: 'dev';
  readonly namespace: 'default';
  readonly dbFile: string;
  readonly uiPort: number | undefined;
}

export async function startTemporal(options: TemporalOptions): Promise<TemporalServer> {
  const cli = options.cli ?? findTemporalCli();
  if (!cli) throw new ToolNotPreparedError('The Temporal CLI', cachedTemporalCliPath(), 'ensureTemporalCli()');
  const retentionHours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
  if (!Number.isInteger(retentionHours) || retentionHours <= 0) {
    throw new TemporalNamespaceError('default', retentionHours, 'retentionHours must be a positive whole number of hours');
  }
  const ui = options.ui ?? true;
  const port = options.port ?? (await freePort());
  const uiPort = ui ? (options.uiPort ?? (await freePort())) : undefined;
  const httpPort = options.httpPort ?? (await freePort());
  const metricsPort = options.metricsPort ?? (await freePort());
  const timeoutMs = options.startTimeoutMs ?? TEMPORAL_START_TIMEOUT_MS;
  const dataDir = path.resolve(options.dataDir);
  const dbFile = path.join(dataDir, 'temporal.db');
  const logFile = path.resolve(options.logFile ?? path.join(dataDir, 'temporal.log'));
  const address = `127.0.0.1:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
  await mkdir(dataDir, { recursive: true });

  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--http-port', String(httpPort),
    '--metrics-port', String(metricsPort),
    '--db-filename', dbFile,
    '--namespace', 'default',
    '--log-level', 'warn',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
  ];

  const launch = async (): Promise<ServiceProcess> => {
    await assertPortsFree('Temporal', [port, httpPort, metricsPort, ...(uiPort === undefined ? [] : [uiPort])]);
    const proc = await spawnService({ name: 'temporal', command: cli, args, logFile, env: temporalCliEnv() });
    await waitUntilReady(proc, {
      service: 'Temporal',
      waitingFor: `gRPC health on ${address}${uiUrl ? ` and the UI at ${uiUrl}` : ''}`,
      timeoutMs,
      check: async () => (await isServing(cli, address)) && (uiUrl === undefined || (await answersHttp(uiUrl))),
    });
    try {
      await setNamespaceRetention(cli, address, 'default', retentionHours);
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return proc;
  };

  let current = await launch();
  let restarting: Promise<void> | undefined;
  return {
    kind: 'dev',
    address,
    namespace: 'default',
    uiUrl,
    tls: undefined,
    dbFile,
    port,
    uiPort,
    httpPort,
    metricsPort,
    logFile,
    get pid() {
      return current.pid;
    },
    stop: async () => {
      // A stop while a restart is under way waits for it, then stops the restarted server: none outlives stop().
      await restarting?.catch(() => undefined);
      await current.stop();
    },
    // Also brings a stopped server back (an outage: stop, then restart later).
    restart: async () => {
      restarting = (async () => {
        await current.stop();
        current = await launch();
      })();
      try {
        await restarting;
      } finally {
        restarting = undefined;
      }
    },
  };
}

/** True once the frontend at `address` answers the gRPC health check with SERVING. */
export async function isServing(cli: string, address: string, tls?: TemporalClientTls): Promise<boolean> {
  const result = await runCommand(cli, ['operator', 'cluster', 'health', ...temporalCliConnectionArgs(address, tls), '--command-timeout', '2s'], {
    env: temporalCliEnv(),
    timeoutMs: HEALTH_PROBE_TIMEOUT_MS,
  });
  // \b keeps NOT_SERVING from counting as SERVING.
  return result.code === 0 && /\bSERVING\b/.test(result.stdout);
}

async function answersHttp(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(UI_PROBE_TIMEOUT_MS) });
  await response.arrayBuffer();
  return response.status < 500;
}
