// A PostgreSQL-backed Temporal server of the test's own, with mutual TLS, on two fresh databases in
// the suite's PostgreSQL: tests that stop and restart Temporal (this file's restart, a later chaos
// suite) or that need the server users deploy. The server binary comes from the tools cache, which
// test/run.ts fills before any test starts.
import { join } from 'node:path';
import pg from 'pg';
import { startPostgresTemporal, type PostgresTemporalServer } from '../../dev/stack/temporal-postgres';
import { testStack } from './test-stack';
import { uniqueName } from './unique';

export interface TestPostgresTemporal {
  readonly server: PostgresTemporalServer;
  /** Stops the server and starts it again on the same ports and databases (workflows survive). */
  restart(): Promise<void>;
  /** Stops the server and drops its two databases. */
  close(): Promise<void>;
}

export async function startTestPostgresTemporal(name: string, opts: { tls?: boolean } = {}): Promise<TestPostgresTemporal> {
  const stack = testStack();
  // Database names: lower case and underscores, so no quoting question arises anywhere.
  const base = uniqueName(`temporal_${name}`).replace(/[^a-z0-9]/g, '_');
  const dataDir = join(stack.dir, 'postgres-temporal', base);
  const server = await startPostgresTemporal({
    dataDir,
    databaseUrl: stack.databaseUrl,
    database: base,
    visibilityDatabase: `${base}_vis`,
    tls: opts.tls ?? true,
    // Short retention: nothing here must outlive the test.
    retentionHours: 24,
  });
  return {
    server,
    restart: () => server.restart(),
    close: async () => {
      await server.stop();
      await dropDatabases(stack.databaseUrl, [server.databases.database, server.databases.visibilityDatabase]);
    },
  };
}

async function dropDatabases(url: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
