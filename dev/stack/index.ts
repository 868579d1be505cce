// The local stack: the Temporal dev server, a Kafka broker and PostgreSQL, started together for the
// demo, the test suite and `kta stack up`. Tools are prepared first (minutes once per machine), then
// the three services start in parallel (seconds each on two cores).
import path from 'node:path';
import { cacheDir } from './cache';
import { StackStartError } from './errors';
import { ensureKafkaJars } from './kafka-jars';
import { type KafkaBroker, startKafka } from './kafka';
import { type StackLog, stderrLog } from './log';
import { startPostgres } from './postgres';
import { ensureTemporalCli } from './temporal-cli';
import { startTemporal, type TemporalServer } from './temporal';

export interface StackOptions {
  /** Holds the services' data (temporal/, kafka/) and logs (logs/). */
  dir: string;
  /** Serve the Temporal web UI (default true). */
  ui?: boolean;
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
  /** Temporal server dynamic config values (see TemporalOptions.dynamicConfig). */
  temporalDynamicConfig?: Record<string, string | number | boolean>;
}

export interface Stack {
  readonly dir: string;
  readonly temporal: TemporalServer;
  readonly kafka: KafkaBroker;
  /** `external` when databaseUrl was given and no PostgreSQL was started. */
  readonly postgres: { readonly url: string; readonly pid: number | undefined; readonly external: boolean };
  /** How long each step took, for people tuning start-up on slow machines. */
  readonly timingsMs: { tools: number; temporal: number; kafka: number; postgres: number; total: number };
  /** Stops every service in parallel; resolves when all have exited. */
  stop(): Promise<void>;
}

type Service = 'temporal' | 'kafka' | 'postgres';

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? stderrLog;
  const dir = path.resolve(options.dir);
  const logs = path.join(dir, 'logs');
  const startedAt = Date.now();

  log(`preparing tools (cache: ${cacheDir()})`);
  const [cli, libsDir] = await Promise.all([ensureTemporalCli(log), ensureKafkaJars(log)]);
  const tools = Date.now() - startedAt;

  const timings: Record<Service, number> = { temporal: 0, kafka: 0, postgres: 0 };
  const timed = async <T>(service: Service, start: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await start();
    timings[service] = Date.now() - t0;
    log(`${service} ready in ${(timings[service] / 1000).toFixed(1)} s`);
    return value;
  };
  log(`starting Temporal, Kafka and ${options.databaseUrl ? 'no PostgreSQL (databaseUrl given)' : 'PostgreSQL'} in ${dir}`);
  const [temporal, kafka, postgres] = await Promise.allSettled([
    timed('temporal', () => startTemporal({
      dataDir: path.join(dir, 'temporal'), logFile: path.join(logs, 'temporal.log'), cli,
      ui: options.ui ?? true, port: options.temporalPort, uiPort: options.temporalUiPort, retentionHours: options.retentionHours,
      dynamicConfig: options.temporalDynamicConfig,
    })),
    timed('kafka', () => startKafka({
      dataDir: path.join(dir, 'kafka'), logFile: path.join(logs, 'kafka.log'), libsDir,
      port: options.kafkaPort, controllerPort: options.kafkaControllerPort, messageMaxBytes: options.messageMaxBytes,
    })),
    options.databaseUrl
      ? Promise.resolve({ url: options.databaseUrl, pid: undefined, external: true, stop: async () => undefined })
      : timed('postgres', async () => ({
        ...(await startPostgres({ port: options.postgresPort, logFile: path.join(logs, 'postgres.log') })),
        external: false,
      })),
  ]);

  if (temporal.status === 'rejected' || kafka.status === 'rejected' || postgres.status === 'rejected') {
    const settled = { temporal, kafka, postgres };
    // Nothing half-started may outlive a failed start: it would hold ports and data directories.
    await Promise.allSettled(Object.values(settled).map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw new StackStartError(Object.entries(settled).flatMap(([service, s]) => (s.status === 'rejected' ? [{ service, error: s.reason as unknown }] : [])));
  }

  const services = [temporal.value, kafka.value, postgres.value];
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
      stopping ??= Promise.allSettled(services.map((s) => s.stop())).then((results) => {
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      });
      return stopping;
    },
  };
}

export { cacheDir } from './cache';
export * from './errors';
export { ensureKafkaJars } from './kafka-jars';
export { type KafkaBroker, type KafkaOptions, startKafka } from './kafka';
export { type PostgresServer, type PostgresOptions, startPostgres } from './postgres';
export { freePort } from './ports';
export { readStackFile, type StackFile, writeStackFile } from './stack-file';
export { ensureTemporalCli } from './temporal-cli';
export { SEARCH_ATTRIBUTES, startTemporal, type TemporalOptions, type TemporalServer } from './temporal';
