// The PostgreSQL databases of the Temporal server, made and migrated with the server's own SQL tool,
// the way operators do it: create the database, set up the version table, apply every versioned
// script. Each step is a no-op on a database already at the tool's version, so it runs on every start
// (a restart on the same database, or a newer server on an older schema).
import { TemporalSchemaError } from './errors';
import { runCommand } from './run-command';

const SQL_TOOL_TIMEOUT_MS = 180_000;
// The schemas are the module's schema/postgresql/v12 folders, which the tool embeds at build; naming
// them keeps the stack from depending on the Go module cache after the build.
const SCHEMAS = { history: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;

/** Where the server keeps its data: one PostgreSQL, two databases. */
export interface TemporalDatabases {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Workflows, history, task queues, namespaces. */
  readonly database: string;
  /** The visibility store behind List and the search attributes. */
  readonly visibilityDatabase: string;
}

/** The connection of a postgres:// URL, with the two database names the server will use. */
export function temporalDatabasesFromUrl(url: string, database: string, visibilityDatabase: string): TemporalDatabases {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    visibilityDatabase,
  };
}

/** Creates the two databases if they are absent and brings both schemas to the tool's version. */
export async function prepareTemporalSchema(sqlTool: string, db: TemporalDatabases): Promise<void> {
  await Promise.all([
    prepareOne(sqlTool, db, db.database, SCHEMAS.history),
    prepareOne(sqlTool, db, db.visibilityDatabase, SCHEMAS.visibility),
  ]);
}

async function prepareOne(sqlTool: string, db: TemporalDatabases, database: string, schemaName: string): Promise<void> {
  // The password goes through the environment: argv is visible to every user of the machine.
  const env = { ...process.env, SQL_PASSWORD: db.password };
  const common = ['--plugin', 'postgres12', '--endpoint', db.host, '--port', String(db.port), '--user', db.user, '--database', database];
  const step = async (args: string[], tolerate?: RegExp): Promise<void> => {
    const result = await runCommand(sqlTool, [...common, ...args], { env, timeoutMs: SQL_TOOL_TIMEOUT_MS });
    if (result.code === 0) return;
    if (tolerate?.test(result.stdout + result.stderr)) return;
    throw new TemporalSchemaError(database, `temporal-sql-tool ${[...common, ...args].join(' ')}`, result.code, result.tail(8));
  };
  await step(['create-database'], /already exists/);
  await step(['setup-schema', '--version', '0.0']);
  await step(['update-schema', '--schema-name', schemaName]);
}
