// The Temporal CLI, which also runs the dev server. Taken from PATH, else from the tools cache, else
// built from source with Go (there is no download we may use here; the build takes ~7 minutes).
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir } from './cache';
import { ToolMissingError, ToolPrepareError } from './errors';
import { findOnPath, isExecutableFile } from './find-on-path';
import { type StackLog, stderrLog } from './log';
import { runCommand } from './run-command';

/** The CLI version we build; it bundles Temporal Server 1.29.1. */
export const TEMPORAL_CLI_VERSION = '1.5.1';

// `go install -v` prints one line per compiled package (over a thousand); print every Nth so the
// user sees progress without a flood.
const GO_PACKAGES_PER_PROGRESS_LINE = 100;

export function cachedTemporalCliPath(): string {
  return path.join(cacheDir(), 'bin', 'temporal');
}

/** The CLI to use without building anything: PATH first, then the cache. */
export function findTemporalCli(): string | undefined {
  const onPath = findOnPath('temporal');
  if (onPath) return onPath;
  const cached = cachedTemporalCliPath();
  return isExecutableFile(cached) ? cached : undefined;
}

/**
 * The environment for every Temporal CLI call: the user's TEMPORAL_* settings (a cloud address,
 * an API key, TLS files) are meant for their own clusters and would break talking to the local dev
 * server, so they are left out.
 */
export function temporalCliEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TEMPORAL_')));
}

/** Returns the path of a usable Temporal CLI, building it into the cache when there is none. */
export async function ensureTemporalCli(log: StackLog = stderrLog): Promise<string> {
  const existing = findTemporalCli();
  if (existing) return existing;

  const go = findOnPath('go');
  if (!go) {
    throw new ToolMissingError('go', `to build the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
      'Install Go 1.24+ (https://go.dev/dl), or put a `temporal` binary on PATH.');
  }
  const target = cachedTemporalCliPath();
  // Build into a private directory and rename at the end: an interrupted build must never leave a
  // half-written binary at the path the next run trusts.
  const buildDir = path.join(path.dirname(target), `.build-${process.pid}-${Date.now()}`);
  await mkdir(buildDir, { recursive: true });
  const pkg = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
  const args = ['install', '-v', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, pkg];
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${target} (about 7 minutes on 2 cores, once per machine)`);

  const startedAt = Date.now();
  let packages = 0;
  try {
    const result = await runCommand(go, args, {
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: buildDir },
      onLine: (line) => {
        if (line.startsWith('go: ')) {
          log(line);
        } else if (line.trim() && ++packages % GO_PACKAGES_PER_PROGRESS_LINE === 0) {
          log(`go install: compiled ${packages} packages (${Math.round((Date.now() - startedAt) / 1000)} s), now ${line.trim()}`);
        }
      },
    });
    const built = path.join(buildDir, 'temporal');
    if (result.code !== 0 || !isExecutableFile(built)) {
      throw new ToolPrepareError('the Temporal CLI', `CGO_ENABLED=0 GOBIN=${buildDir} go ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`, result.code, result.tail(30),
        'Check that Go can reach its module proxy; if the error is about the Go version or toolchain, retry with GOTOOLCHAIN=go1.25.0 in the environment.');
    }
    await rename(built, target);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  log(`built the Temporal CLI in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  return target;
}
