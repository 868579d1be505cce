// The local stack: Temporal (the dev server, or the PostgreSQL-backed server users deploy), a Kafka
// broker and PostgreSQL, started together for the demo, the test suite and `kta stack up`. Tools are
// prepared first (minutes once per machine), then the services start in parallel (seconds each on
// two cores); the PostgreSQL-backed Temporal waits for PostgreSQL, where its databases live.
import path from 'node:path';
import { cacheDir } from './cache';
import { StackError, StackOptionError, StackStartError } from './errors';
import { ensureKafkaJars } from './kafka-jars';
import { type KafkaBroker, startKafka } from './kafka';
import type { KafkaSecurityOptions } from './kafka-sasl';
import { type StackLog, stderrLog } from './log';
import { startPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { type PostgresTemporalServer, startPostgresTemporal } from './temporal-postgres';
import { ensureTemporalServerTools } from './temporal-server-build';
import { startTemporal, type TemporalServer } from './temporal';

export interface StackOptions {
  /** Holds the services' data (temporal/, kafka/) and logs (logs/). */
  dir: string;
  /** Serve the Temporal web UI (default true; the dev server only). */
  ui?: boolean;
  /**
   * `dev` (default): the CLI's dev server on SQLite. `postgres`: the Temporal server built from source,
   * persistence and visibility in the stack's PostgreSQL (databases temporal, temporal_visibility).
   */
  temporalServer?: 'dev' | 'postgres';
  /** Mutual TLS on Temporal's frontend, certificates made at start (needs temporalServer 'postgres'). */
  tls?: boolean;
  /** Progress lines; default stderr. */
  log?: StackLog;
  temporalPort?: number;
  temporalUiPort?: number;
  kafkaPort?: number;
  kafkaControllerPort?: number;
  postgresPort?: number;
  /** Use this PostgreSQL instead of starting one (the value of DATABASE_URL, if the caller has it). */
  databaseUrl?: string;
  retentionHours?: number;
  messageMaxBytes?: number;
  /** Adds a SASL_SSL listener to Kafka (dev/stack/kafka-sasl.ts); `stack.kafka.sasl` says how to reach it. */
  kafkaSecurity?: KafkaSecurityOptions;
  /** Temporal server dynamic config values (see TemporalOptions.dynamicConfig). */
  temporalDynamicConfig?: Record<string, string | number | boolean>;
}

export interface Stack {
  readonly dir: string;
  /** `temporal.tls` holds the client certificate files when the frontend requires mutual TLS. */
  readonly temporal: TemporalServer | PostgresTemporalServer;
  readonly kafka: KafkaBroker;
  /** `external` when databaseUrl was given and no PostgreSQL was started. */
  readonly postgres: { readonly url: string; readonly pid: number | undefined; readonly external: boolean };
  /** How long each step took, for people tuning start-up on slow machines. */
  readonly timingsMs: { tools: number; temporal: number; kafka: number; postgres: number; total: number };
  /** Stops Temporal and Kafka in parallel, then PostgreSQL; resolves when all have exited. */
  stop(): Promise<void>;
}

type Service = 'temporal' | 'kafka' | 'postgres';

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? stderrLog;
  const dir = path.resolve(options.dir);
  const logs = path.join(dir, 'logs');
  const startedAt = Date.now();
  const server = options.temporalServer ?? 'dev';
  if (options.tls && server !== 'postgres') {
    throw new StackOptionError('tls', 'the Temporal dev server has no TLS; add temporalServer: \'postgres\' (kta stack up --server postgres --tls)');
  }

  log(`preparing tools (cache: ${cacheDir()})`);
  const [cli, libsDir, serverTools] = await Promise.all([
    ensureTemporalCli(log),
    ensureKafkaJars(log),
    server === 'postgres' ? ensureTemporalServerTools(log) : undefined,
  ]);
  const tools = Date.now() - startedAt;

  const timings: Record<Service, number> = { temporal: 0, kafka: 0, postgres: 0 };
  const timed = async <T>(service: Service, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await start();
    timings[service] = Date.now() - t0;
    log(`${service} ready in ${(timings[service] / 1000).toFixed(1)} s`);
    return value;
  };
  log(`starting Temporal (${server === 'postgres' ? `PostgreSQL-backed server${options.tls ? ', mutual TLS' : ''}, no UI` : 'dev server'}), ` +
    `Kafka and ${options.databaseUrl ? 'no PostgreSQL (databaseUrl given)' : 'PostgreSQL'} in ${dir}`);
  const postgresStart = options.databaseUrl
    ? Promise.resolve({ url: options.databaseUrl, pid: undefined, external: true, stop: async () => undefined })
    : timed('postgres', async () => ({
      ...(await startPostgres({ port: options.postgresPort, logFile: path.join(logs, 'postgres.log') })),
      external: false,
    }));
  const temporalStart = server === 'postgres'
    ? postgresStart.then(
      (pg) => timed('temporal', () => startPostgresTemporal({
        dataDir: path.join(dir, 'temporal'), logFile: path.join(logs, 'temporal.log'), cli, tools: serverTools,
        databaseUrl: pg.url, tls: options.tls ?? false, port: options.temporalPort, retentionHours: options.retentionHours,
      })),
      () => {
        throw new StackError('not started: its databases live in PostgreSQL, which failed (see postgres)');
      },
    )
    : timed('temporal', () => startTemporal({
      dataDir: path.join(dir, 'temporal'), logFile: path.join(logs, 'temporal.log'), cli,
      ui: options.ui ?? true, port: options.temporalPort, uiPort: options.temporalUiPort, retentionHours: options.retentionHours,
      dynamicConfig: options.temporalDynamicConfig,
    }));
  const [temporal, kafka, postgres] = await Promise.allSettled([
    temporalStart,
    timed('kafka', () => startKafka({
      dataDir: path.join(dir, 'kafka'), logFile: path.join(logs, 'kafka.log'), libsDir,
      port: options.kafkaPort, controllerPort: options.kafkaControllerPort, messageMaxBytes: options.messageMaxBytes,
      ...(options.kafkaSecurity ? { security: options.kafkaSecurity } : {}),
    })),
    postgresStart,
  ]);

  if (temporal.status === 'rejected' || kafka.status === 'rejected' || postgres.status === 'rejected') {
    const settled = { temporal, kafka, postgres };
    // Nothing half-started may outlive a failed start: it would hold ports and data directories.
    await Promise.allSettled(Object.values(settled).map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw new StackStartError(Object.entries(settled).flatMap(([service, s]) => (s.status === 'rejected' ? [{ service, error: s.reason as unknown }] : [])));
  }

  // PostgreSQL last: a PostgreSQL-backed Temporal server would spend its shutdown retrying a
  // vanished database (and the bridge's sinks are gone by then anyway).
  const stopAll = async (): Promise<void> => {
    const first = await Promise.allSettled([temporal.value.stop(), kafka.value.stop()]);
    const results = [...first, ...(await Promise.allSettled([postgres.value.stop()]))];
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  let stopping: Promise<void> | undefined;
  return {
    dir,
    temporal: temporal.value,
    kafka: kafka.value,
    postgres: {
      url: postgres.value.url,
      get pid() {
        return postgres.value.pid;
      },
      external: postgres.value.external,
    },
    timingsMs: { tools, ...timings, total: Date.now() - startedAt },
    stop: () => {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

export { cacheDir } from './cache';
export * from './errors';
export { ensureKafkaJars } from './kafka-jars';
export { type KafkaBroker, type KafkaOptions, startKafka } from './kafka';
export { type KafkaSecurityOptions, type SaslSslListener, type SaslUser } from './kafka-sasl';
export { kafkaSaslEnv } from './kafka-sasl-env';
export { type PostgresServer, type PostgresOptions, startPostgres } from './postgres';
export { freePort } from './ports';
export { readStackFile, type StackFile, writeStackFile } from './stack-file';
export { generateLocalCertificates, type LocalCertificates } from './certs';
export { ensureTemporalCli } from './temporal-cli';
export { type PostgresTemporalOptions, type PostgresTemporalServer, startPostgresTemporal } from './temporal-postgres';
export { ensureTemporalServerTools, TEMPORAL_SERVER_VERSION } from './temporal-server-build';
export { type TemporalClientTls, temporalTlsEnv } from './temporal-tls';
export { SEARCH_ATTRIBUTES, startTemporal, type TemporalOptions, type TemporalServer } from './temporal';
