// The doctor's PostgreSQL check: DATABASE_URL answers, and the tables the bridge and the worker
// create at start-up are there.
import { agentTables } from '../../agents/tables';
import pg, { type Pool } from 'pg';
import { ensureBridgeSchema } from '../../bridge/bridge-schema';
import { ensureSchema } from '../../activities/sinks/schema';
import type { DoctorCheck } from './runner';
import { clientTimeoutMs, opened } from './runner';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';

/**
 * The tables a schema function creates, read from the statements it issues against a recording pool
 * (no database): the doctor follows bridge-schema.ts and sinks/schema.ts instead of copying their list.
 */
export async function tablesCreatedBy(ensure: (pool: Pool) => Promise<void>): Promise<string[]> {
  const statements: string[] = [];
  const record = async (sql: string) => {
    statements.push(sql);
    return { rows: [], rowCount: 0 };
  };
  const recorder = { query: record, connect: async () => ({ query: record, release: () => undefined }) };
  await ensure(recorder as unknown as Pool);
  return statements.flatMap((sql) => [...sql.matchAll(/CREATE TABLE IF NOT EXISTS\s+(\w+)/gi)].map((m) => m[1]));
}

/** Where a URL is printed: without its password. */
function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export const postgresCheck: DoctorCheck = {
  name: 'postgres',
  needs: [],
  async run(ctx) {
    const url = opened(ctx, 'config').databaseUrl;
    const pool = createPool(url, stderrPoolLog, { name: 'doctor', max: 1, connectionTimeoutMillis: clientTimeoutMs(ctx) });
    ctx.pool = pool;
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      return { status: 'fail', message: `cannot query ${redacted(url)}: ${(err as Error).message}`, fix: 'start PostgreSQL (npx kta stack up) or set DATABASE_URL to a reachable database' };
    }
    const owners = { bridge: await tablesCreatedBy(ensureBridgeSchema), worker: await tablesCreatedBy((pool) => ensureSchema(pool, agentTables())) };
    const names = [...owners.bridge, ...owners.worker];
    const { rows } = await pool.query<{ name: string; present: boolean }>('SELECT name, to_regclass(name) IS NOT NULL AS present FROM unnest($1::text[]) AS name', [names]);
    const present = new Set(rows.filter((r) => r.present).map((r) => r.name));
    const missing = Object.entries(owners).flatMap(([owner, tables]) => tables.filter((t) => !present.has(t)).map((table) => ({ owner, table })));
    const details = { tables: names, missing };
    if (missing.length === 0) return { status: 'ok', message: `${redacted(url)} answers; all ${names.length} tables of the bridge and the worker exist`, details };
    const missingBy = (owner: string) => missing.filter((m) => m.owner === owner).map((m) => m.table);
    const parts = (['bridge', 'worker'] as const).filter((o) => missingBy(o).length).map((o) => `${o} tables ${missingBy(o).join(', ')}`);
    return {
      status: 'warn',
      message: `${redacted(url)} answers; missing ${parts.join('; ')}, created on first start of the ${(['bridge', 'worker'] as const).filter((o) => missingBy(o).length).join(' and the ')}`,
      fix: 'start the bridge and the worker once (npx kta bridge, npx kta worker); they create their tables',
      details,
    };
  },
};
