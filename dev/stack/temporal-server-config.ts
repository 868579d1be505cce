// The configuration of the PostgreSQL-backed Temporal server: every service in one process on
// loopback ports, persistence and visibility on PostgreSQL (plugin postgres12), and, with TLS, mutual
// TLS on the frontend. Written as JSON, which is YAML too, so the stack needs no YAML library.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LocalCertificates } from './certs';
import type { TemporalDatabases } from './temporal-schema';

/** One gRPC and one membership (gossip) port per service, plus the frontend's HTTP API and metrics. */
export interface TemporalServerPorts {
  readonly frontend: number;
  readonly frontendHttp: number;
  readonly frontendMembership: number;
  readonly history: number;
  readonly historyMembership: number;
  readonly matching: number;
  readonly matchingMembership: number;
  readonly worker: number;
  readonly workerMembership: number;
  readonly metrics: number;
}

export interface TemporalServerConfigInput {
  readonly ports: TemporalServerPorts;
  readonly databases: TemporalDatabases;
  readonly certificates?: LocalCertificates;
}

// Fixed when a database is first used and never changeable after; 4 is plenty for one machine.
const HISTORY_SHARDS = 4;

// Dynamic config: the stack registers search attributes at start and the bridge uses them seconds
// later; without a fresh read the history service may still hold the empty list for a minute.
const DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
  // The dev server's own values: a busy list page must not be refused on two cores.
  'frontend.namespaceRPS.visibility': [{ value: 100, constraints: {} }],
};

/** Writes <configDir>/development.yaml and dynamic-config.yaml (0600: they hold the database password). */
export async function writeTemporalServerConfig(configDir: string, input: TemporalServerConfigInput): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  const dynamicConfigFile = path.join(configDir, 'dynamic-config.yaml');
  const config = renderConfig(input, dynamicConfigFile);
  for (const [file, content] of [[path.join(configDir, 'development.yaml'), config], [dynamicConfigFile, DYNAMIC_CONFIG]] as const) {
    await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
}

function renderConfig({ ports, databases, certificates }: TemporalServerConfigInput, dynamicConfigFile: string) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${databases.host}:${databases.port}`,
      connectProtocol: 'tcp',
      user: databases.user,
      password: databases.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: { 'postgres-default': store(databases.database, 20), 'postgres-visibility': store(databases.visibilityDatabase, 4) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` } },
      ...(certificates ? { tls: mutualTls(certificates) } : {}),
    },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

// The frontend demands a client certificate signed by the stack's CA. The server's own system worker
// (retention, batch jobs, scheduler) is a client of that frontend too, so it presents one as well;
// traffic between the services inside the process stays on loopback without TLS.
function mutualTls(certs: LocalCertificates) {
  return {
    frontend: {
      server: { certFile: certs.server.certFile, keyFile: certs.server.keyFile, requireClientAuth: true, clientCaFiles: [certs.caFile] },
    },
    // With systemWorker set, the server uses it for every in-process client of the frontend.
    systemWorker: {
      certFile: certs.client.certFile,
      keyFile: certs.client.keyFile,
      client: { serverName: certs.serverName, rootCaFiles: [certs.caFile] },
    },
  };
}
