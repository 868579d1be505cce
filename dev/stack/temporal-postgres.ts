// The Temporal server users deploy, run locally: all services in one process, persistence and
// visibility on PostgreSQL, optionally mutual TLS on the frontend. Tests and `kta stack up --server
// postgres` use it to prove the project against a real server, not only the dev server.
import path from 'node:path';
import { generateLocalCertificates, type LocalCertificates } from './certs';
import { TemporalNamespaceError, ToolNotPreparedError } from './errors';
import { freePort, freePortInRange } from './ports';
import { type ServiceProcess, spawnService } from './process';
import { assertPortsFree, waitUntilReady } from './service-ready';
import { cachedTemporalCliPath, findTemporalCli, temporalCliEnv } from './temporal-cli';
import { prepareTemporalSchema, type TemporalDatabases, temporalDatabasesFromUrl } from './temporal-schema';
import { cachedTemporalServerTools, findTemporalServerTools, type TemporalServerTools } from './temporal-server-build';
import { type TemporalServerPorts, writeTemporalServerConfig } from './temporal-server-config';
import { ensureNamespace, ensureSearchAttributes, type TemporalTarget } from './temporal-server-setup';
import type { TemporalClientTls } from './temporal-tls';
import { DEFAULT_RETENTION_HOURS, isServing, SEARCH_ATTRIBUTES, type TemporalService } from './temporal';

/** Slower than the dev server: four services join their ring and open their database pools. */
export const POSTGRES_TEMPORAL_START_TIMEOUT_MS = 120_000;

export interface PostgresTemporalOptions {
  /** Holds config/, certs/ and, by default, the log. */
  dataDir: string;
  /** A postgres:// URL whose user may create databases (the stack's PostgreSQL). */
  databaseUrl: string;
  /** Default temporal / temporal_visibility; tests pass their own to share one PostgreSQL. */
  database?: string;
  visibilityDatabase?: string;
  /** Mutual TLS on the frontend, with certificates made in <dataDir>/certs (default false). */
  tls?: boolean;
  namespace?: string;
  port?: number;
  retentionHours?: number;
  logFile?: string;
  startTimeoutMs?: number;
  /** By default PATH, then the tools cache (ensureTemporalCli). */
  cli?: string;
  /** By default the tools cache (ensureTemporalServerTools). */
  tools?: TemporalServerTools;
}

export interface PostgresTemporalServer extends TemporalService {
  readonly kind: 'postgres';
  readonly databases: TemporalDatabases;
  /** Every certificate made for this server (the untrusted client too), when TLS is on. */
  readonly certificates: LocalCertificates | undefined;
}

export async function startPostgresTemporal(options: PostgresTemporalOptions): Promise<PostgresTemporalServer> {
  const cli = options.cli ?? findTemporalCli();
  if (!cli) throw new ToolNotPreparedError('The Temporal CLI', cachedTemporalCliPath(), 'ensureTemporalCli()');
  const tools = options.tools ?? findTemporalServerTools();
  if (!tools) throw new ToolNotPreparedError('The Temporal server', cachedTemporalServerTools().server, 'ensureTemporalServerTools()');
  const namespace = options.namespace ?? 'default';
  const retentionHours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
  if (!Number.isInteger(retentionHours) || retentionHours <= 0) {
    throw new TemporalNamespaceError(namespace, retentionHours, 'retentionHours must be a positive whole number of hours');
  }
  const dataDir = path.resolve(options.dataDir);
  const logFile = path.resolve(options.logFile ?? path.join(dataDir, 'temporal.log'));
  const ports = await choosePorts(options.port);
  const address = `127.0.0.1:${ports.frontend}`;
  const databases = temporalDatabasesFromUrl(options.databaseUrl, options.database ?? 'temporal', options.visibilityDatabase ?? 'temporal_visibility');

  const [certificates] = await Promise.all([
    options.tls ? generateLocalCertificates(path.join(dataDir, 'certs'), 'kta-temporal') : undefined,
    prepareTemporalSchema(tools.sqlTool, databases),
  ]);
  const tls: TemporalClientTls | undefined = certificates && {
    caFile: certificates.caFile, certFile: certificates.client.certFile, keyFile: certificates.client.keyFile, serverName: certificates.serverName,
  };
  const configDir = path.join(dataDir, 'config');
  await writeTemporalServerConfig(configDir, { ports, databases, certificates });
  const target: TemporalTarget = { cli, address, namespace, tls };

  // No authorizer: with TLS the frontend admits only holders of a certificate the stack's CA signed.
  const args = ['--root', dataDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];
  const launch = async (): Promise<ServiceProcess> => {
    await assertPortsFree('Temporal (PostgreSQL)', Object.values(ports));
    const proc = await spawnService({ name: 'temporal-server', command: tools.server, args, logFile, env: temporalCliEnv() });
    await waitUntilReady(proc, {
      service: 'Temporal (PostgreSQL)',
      waitingFor: `gRPC health on ${address}${tls ? ' over mutual TLS' : ''}`,
      timeoutMs: options.startTimeoutMs ?? POSTGRES_TEMPORAL_START_TIMEOUT_MS,
      check: () => isServing(cli, address, tls),
    });
    try {
      await ensureNamespace(target, retentionHours);
      await ensureSearchAttributes(target, SEARCH_ATTRIBUTES);
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return proc;
  };

  let current = await launch();
  return {
    kind: 'postgres',
    address,
    namespace,
    uiUrl: undefined,
    port: ports.frontend,
    httpPort: ports.frontendHttp,
    metricsPort: ports.metrics,
    logFile,
    tls,
    databases,
    certificates,
    get pid() {
      return current.pid;
    },
    stop: async () => {
      await current.stop();
    },
    restart: async () => {
      await current.stop();
      current = await launch();
    },
  };
}

// The server records each service's membership port in a SMALLINT column: below 32768, and above
// the well-known ports.
const MEMBERSHIP_PORT_MIN = 20_000;
const MEMBERSHIP_PORT_MAX = 32_767;

async function choosePorts(frontend?: number): Promise<TemporalServerPorts> {
  const membership = () => freePortInRange(MEMBERSHIP_PORT_MIN, MEMBERSHIP_PORT_MAX);
  return {
    frontend: frontend ?? (await freePort()),
    frontendHttp: await freePort(),
    frontendMembership: await membership(),
    history: await freePort(),
    historyMembership: await membership(),
    matching: await freePort(),
    matchingMembership: await membership(),
    worker: await freePort(),
    workerMembership: await membership(),
    metrics: await freePort(),
  };
}
