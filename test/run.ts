// `npm test`: lint, typecheck and the layering check, then start the real stack once (Temporal dev server, Kafka, PostgreSQL), bundle the
// workflows once, run every test file against them with node's test runner, and stop everything,
// also when a test fails or the run is interrupted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKafkaJars, ensureTemporalCli, ensureTemporalServerTools, startStack } from '../dev/stack';
import { bundleWorkflowsTo } from '../workers/bundle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Every folder and top-level file whose imports the layering rules check. */
const LAYERED_SOURCES = ['core', 'agents', 'workflows', 'activities', 'bridge', 'workers', 'ops', 'cli', 'lib', 'dev', 'bench', 'chaos', 'test', 'errors', 'config', 'config.ts', 'errors.ts'].filter((p) => existsSync(join(ROOT, p)));

/** Each agent's own tests in agents/<name>/, then the cross-cutting suites in test/. */
function testFiles(): string[] {
  const inDir = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f));
  const agents = readdirSync(join(ROOT, 'agents'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join('agents', d.name)).sort();
  // An agent's own tests first: a new agent's end-to-end test records its first history, which the
  // registry's replay suite (test/replay.test.ts) then requires.
  return [...agents.flatMap(inDir), ...inDir('test')];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Builds and downloads every tool once, before any test needs one: the Temporal CLI, then the
 * PostgreSQL-backed server when a chosen test file starts one (its build reuses most of the CLI's
 * compiled packages, so it goes second, not beside it), while the Kafka jars download.
 */
async function prepareTools(files: string[]): Promise<void> {
  const log = (line: string) => console.error(`[tools] ${line}`);
  const needsServer = files.some((f) => /startTestPostgresTemporal|startPostgresTemporal|temporalServer: 'postgres'/.test(readFileSync(resolve(ROOT, f), 'utf8')));
  await Promise.all([
    ensureTemporalCli(log).then(() => (needsServer ? ensureTemporalServerTools(log) : undefined)),
    ensureKafkaJars(log),
  ]);
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  if (!process.env.KTA_SKIP_LINT) {
    console.error('[test] lint: eslint and tsc');
    if ((await run(process.execPath, [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '.'])) !== 0) return 1;
    if ((await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'])) !== 0) return 1;
    console.error('[test] layering: dependency-cruiser (.dependency-cruiser.cjs)');
    if ((await run(process.execPath, [join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', '.dependency-cruiser.cjs', ...LAYERED_SOURCES])) !== 0) return 1;
  }
  const files = only.length ? only : testFiles();
  await prepareTools(files);
  const dir = mkdtempSync(join(tmpdir(), 'kta-test-'));
  console.error(`[test] starting the stack in ${dir}`);
  const startedAt = Date.now();
  const [stack, workflowBundlePath] = await Promise.all([
    startStack({ dir, ui: false, log: (line) => console.error(`[stack] ${line}`) }),
    bundleWorkflowsTo(join(dir, 'workflow-bundle.js')),
  ]);
  console.error(`[test] stack ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  const stop = () => stack.stop();
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));
  try {
    const env = {
      ...process.env,
      KTA_TEST_STACK: JSON.stringify({
        dir,
        temporal: { address: stack.temporal.address, namespace: stack.temporal.namespace, uiUrl: stack.temporal.uiUrl },
        kafka: { brokers: stack.kafka.brokers },
        databaseUrl: stack.postgres.url,
        workflowBundlePath,
      }),
    };
    return await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], env);
  } finally {
    console.error('[test] stopping the stack');
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
