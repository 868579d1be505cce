// Every PostgreSQL pool the project opens comes from here, so none can crash its process: an idle
// client whose connection PostgreSQL ends (a restart, `pg_terminate_backend`, a stack being stopped)
// makes the pool emit 'error', and an 'error' event nobody listens to kills a Node process.
import pg from 'pg';

/** Where the pool's one-line warnings go; a pino logger fits, and so does a small adapter. */
export interface PoolLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface PoolOptions extends Omit<pg.PoolConfig, 'connectionString'> {
  /** Names the pool's owner in its warnings (bridge, worker, demo, ...). */
  readonly name: string;
}

const CLOSE_WAIT_MS = 5_000;

export function createPool(connectionString: string, log: PoolLog, { name, ...options }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString, ...options });
  // Listening on each client covers a checked-out client between two queries too (a transaction's
  // client, the schema lock's), whose error the pool does not see. An idle client's error also
  // reaches the pool, which drops that client; the next query opens a new connection.
  pool.on('connect', (client) => {
    // A broken connection reports itself, then its socket's end: one line says it.
    let reported = false;
    client.on('error', (err: Error & { code?: string }) => {
      if (reported) return;
      reported = true;
      log.warn(
        { pool: name, code: err.code, err: err.message },
        `a connection of the ${name} pool to PostgreSQL ended (${err.code ?? 'no code'}: ${err.message}); the next query opens a new one`,
      );
    });
  });
  // Already logged by the client's own listener above; without a listener here the pool would throw it.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Ends the pool and waits until its connections are closed. pool.end() resolves once the clients are
 * told to end, before PostgreSQL has seen them go; stopping the server in between would end them
 * from its side first. Bounded: a connection that does not close in time is left to the server.
 */
export async function closePool(pool: pg.Pool, waitMs = CLOSE_WAIT_MS): Promise<void> {
  let open = pool.totalCount;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (--open <= 0) resolve();
    });
  });
  let timer: NodeJS.Timeout | undefined;
  await pool.end();
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

/** For command-line tools and simulators, whose stdout may carry JSON: the warning goes to stderr. */
export const stderrPoolLog: PoolLog = {
  warn: (_fields, message) => console.error(message),
};
