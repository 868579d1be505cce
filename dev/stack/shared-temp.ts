// A directory under the system temp dir that another local user can enter. As root, PostgreSQL runs
// as the `postgres` user, which cannot enter a 0700 home: its data directory and, when needed, its
// binaries live here instead of in the checkout or the stack directory.
import { statSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// Throwaway PostgreSQL data directories left by a crashed run are removed after this long; a younger
// one may belong to a run that is still starting.
const STALE_DATA_DIR_AGE_MS = 60 * 60 * 1000;

/** <tmpdir>/kafka-temporal-agents, created enterable by every user (mode 0755). */
export async function sharedTempRoot(): Promise<string> {
  const root = path.join(os.tmpdir(), 'kafka-temporal-agents');
  await mkdir(root, { recursive: true });
  if (statSync(root).uid === process.getuid?.()) await chmod(root, 0o755);
  return root;
}

/**
 * True when a user who is neither the owner nor in the group could reach `target`: every directory
 * above it enterable by others, and the target itself readable (and executable, if asked) by others.
 */
export function reachableByOthers(target: string, { executable = false } = {}): boolean {
  try {
    const needed = executable ? 0o005 : 0o004;
    const resolved = path.resolve(target);
    if ((statSync(resolved).mode & needed) !== needed) return false;
    for (let dir = path.dirname(resolved); ; dir = path.dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dir === path.dirname(dir)) return true;
    }
  } catch {
    return false;
  }
}

/** The first directory at or above `target` that others cannot enter, for error messages. */
export function firstClosedDirectory(target: string): string | undefined {
  for (let dir = path.resolve(target); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return dir;
    } catch {
      // Not created yet: its parent decides.
    }
  }
  return undefined;
}

/** Removes `pg-*` data directories whose postmaster is gone and which are older than an hour. */
export async function sweepStaleDataDirs(root: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const name of entries.filter((n) => n.startsWith('pg-') && !n.startsWith('pg-runtime-'))) {
    const dir = path.join(root, name);
    const info = await stat(dir).catch(() => undefined);
    if (!info || Date.now() - info.mtimeMs < STALE_DATA_DIR_AGE_MS) continue;
    const pidText = await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(pidText.split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
