// The Temporal server users deploy (`go.temporal.io/server`, the same 1.29.1 the dev server bundles)
// and its SQL schema tool, built from source with Go into the tools cache. There is no download we
// may use here, and the module has no `replace` directive, so `go install module@version` works.
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from './cache';
import { ToolMissingError, ToolPrepareError } from './errors';
import { findOnPath, isExecutableFile } from './find-on-path';
import { type StackLog, stderrLog } from './log';
import { runCommand } from './run-command';

/** Must stay the version the Temporal CLI's dev server bundles (see temporal-cli.ts). */
export const TEMPORAL_SERVER_VERSION = '1.29.1';

const MODULE = 'go.temporal.io/server';
// `go install -v` names each compiled package (about 1,500 here); one progress line per hundred.
const GO_PACKAGES_PER_PROGRESS_LINE = 100;

export interface TemporalServerTools {
  /** The server: all services in one process (`cmd/server`). */
  readonly server: string;
  /** The schema tool (`cmd/tools/sql`); its schemas are embedded from the module's schema/ folder. */
  readonly sqlTool: string;
}

// The version is in the file names: a cache shared by checkouts on different versions must never
// hand one of them a server that does not match its schema.
export function cachedTemporalServerTools(): TemporalServerTools {
  const bin = path.join(cacheDir(), 'bin');
  return {
    server: path.join(bin, `temporal-server-${TEMPORAL_SERVER_VERSION}`),
    sqlTool: path.join(bin, `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`),
  };
}

/** The cached tools, or undefined when either is missing (nothing is built). */
export function findTemporalServerTools(): TemporalServerTools | undefined {
  const tools = cachedTemporalServerTools();
  return isExecutableFile(tools.server) && isExecutableFile(tools.sqlTool) ? tools : undefined;
}

/** Returns the server and its SQL tool, building both into the cache when either is missing. */
export async function ensureTemporalServerTools(log: StackLog = stderrLog): Promise<TemporalServerTools> {
  const existing = findTemporalServerTools();
  if (existing) return existing;

  const go = findOnPath('go');
  if (!go) {
    throw new ToolMissingError('go', `to build the Temporal server ${TEMPORAL_SERVER_VERSION} (PostgreSQL-backed stack option)`,
      'Install Go 1.24+ (https://go.dev/dl), or use the dev server (the default; leave out --server postgres).');
  }
  const target = cachedTemporalServerTools();
  // Build into a private directory and rename at the end: an interrupted build must never leave a
  // half-written binary at the path the next run trusts.
  const buildDir = path.join(path.dirname(target.server), `.build-server-${process.pid}-${Date.now()}`);
  await mkdir(buildDir, { recursive: true });
  const args = ['install', '-v', '-ldflags', '-s -w',
    `${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`];
  log(`building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go into ${path.dirname(target.server)} ` +
    '(about 10 minutes on 2 cores, once per machine; less when the Temporal CLI was built before)');

  const startedAt = Date.now();
  let packages = 0;
  try {
    const result = await runCommand(go, args, {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: buildDir },
      onLine: (line) => {
        if (line.startsWith('go: ')) {
          log(line);
        } else if (line.trim() && ++packages % GO_PACKAGES_PER_PROGRESS_LINE === 0) {
          log(`go install (Temporal server): compiled ${packages} packages (${Math.round((Date.now() - startedAt) / 1000)} s), now ${line.trim()}`);
        }
      },
    });
    // go install names each binary after its package folder: cmd/server -> server, cmd/tools/sql -> sql.
    const built = { server: path.join(buildDir, 'server'), sqlTool: path.join(buildDir, 'sql') };
    if (result.code !== 0 || !isExecutableFile(built.server) || !isExecutableFile(built.sqlTool)) {
      throw new ToolPrepareError(`the Temporal server ${TEMPORAL_SERVER_VERSION}`,
        `CGO_ENABLED=0 GOBIN=${buildDir} go ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`, result.code, result.tail(30),
        'Check that Go can reach its module proxy; if the error is about the Go version or toolchain, retry with GOTOOLCHAIN=go1.25.0 in the environment.');
    }
    // The server last: findTemporalServerTools needs both, so a crash between the renames rebuilds.
    await rename(built.sqlTool, target.sqlTool);
    await rename(built.server, target.server);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  log(`built the Temporal server and its SQL tool in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  return target;
}
