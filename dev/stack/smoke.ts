// Smoke check of the local stack: `npx tsx dev/stack/smoke.ts [rounds]`. Each round starts the
// whole stack in a fresh temp dir, uses every service once, restarts Temporal on the same ports and
// database file, stops everything and checks that no service process is left. The first round on a
// machine also prepares the tools; later rounds show the warm start. Last, child processes start the
// stack and crash (exit, uncaught exception, unhandled rejection): no service may outlive them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { trackedChildren } from './child-registry';
import { readStackFile, SEARCH_ATTRIBUTES, startStack, writeStackFile } from './index';
import { runCommand } from './run-command';
import { findTemporalCli, temporalCliEnv } from './temporal-cli';
import { pollUntil } from './wait';

const MESSAGE_WAIT_MS = 30_000;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`smoke check failed: ${message}`);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function round(n: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kta-smoke-'));
  console.log(`\n== round ${n}: stack in ${dir}`);
  const stack = await startStack({ dir });
  const t = stack.timingsMs;
  console.log(`temporal ${stack.temporal.address} (ui ${stack.temporal.uiUrl}), kafka ${stack.kafka.brokers.join(',')}, postgres ${stack.postgres.url}`);
  console.log(`tools ${seconds(t.tools)}; ready: temporal ${seconds(t.temporal)}, kafka ${seconds(t.kafka)}, postgres ${seconds(t.postgres)}; total ${seconds(t.total)}`);
  const pids = [stack.temporal.pid, stack.kafka.pid, stack.postgres.pid].filter((p): p is number => p !== undefined);
  let restartMs = 0;
  try {
    const stackFile = path.join(dir, 'stack.json');
    await writeStackFile(stack, stackFile);
    const read = await readStackFile(stackFile);
    check(read.kafka.brokers[0] === stack.kafka.brokers[0] && read.databaseUrl === stack.postgres.url, 'stack file round trip');

    // Kafka: a topic, one record produced and consumed back.
    const kafka = new Kafka({ clientId: 'kta-smoke', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING });
    const topic = `smoke-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
    const got = await pollUntil(async () => received.length > 0, { timeoutMs: MESSAGE_WAIT_MS, intervalMs: 100 });
    await consumer.disconnect();
    check(got && received[0] === 'hello', `the produced record was consumed from ${topic} within ${MESSAGE_WAIT_MS} ms`);
    console.log(`kafka: produced and consumed one record on ${topic}`);

    // PostgreSQL.
    const db = new pg.Client({ connectionString: stack.postgres.url });
    await db.connect();
    const { rows } = await db.query<{ one: number }>('select 1 as one');
    await db.end();
    check(rows[0]?.one === 1, 'select 1 returns 1');
    console.log('postgres: select 1 -> 1');

    // Temporal: the custom search attributes, and a workflow that must survive a restart.
    const cli = findTemporalCli();
    check(cli, 'a Temporal CLI is available');
    const list = await runCommand(cli, ['operator', 'search-attribute', 'list', '--address', stack.temporal.address, '-n', 'default', '-o', 'json'], { env: temporalCliEnv() });
    const custom = (JSON.parse(list.stdout) as { customAttributes: Record<string, string> }).customAttributes;
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      check(custom[name] === `INDEXED_VALUE_TYPE_${type.toUpperCase()}`, `search attribute ${name} is ${type} (got ${custom[name]})`);
    }
    console.log(`temporal: custom search attributes ${Object.keys(custom).sort().join(', ')}`);

    const workflowId = `smoke-${Date.now()}`;
    let connection = await Connection.connect({ address: stack.temporal.address });
    // No worker polls this queue: the workflow just stays open, which is all a restart check needs.
    await new Client({ connection }).workflow.start('smokeNoWorker', { taskQueue: 'smoke', workflowId });
    await connection.close();
    const restartAt = Date.now();
    await stack.temporal.restart();
    restartMs = Date.now() - restartAt;
    connection = await Connection.connect({ address: stack.temporal.address });
    const status = (await new Client({ connection }).workflow.getHandle(workflowId).describe()).status.name;
    await connection.close();
    check(status === 'RUNNING', `workflow ${workflowId} survived the restart (status ${status})`);
    console.log(`temporal: stopped and restarted on ${stack.temporal.address} in ${seconds(restartMs)}; workflow ${workflowId} still ${status}`);
  } finally {
    const stopAt = Date.now();
    await stack.stop();
    console.log(`stopped everything in ${seconds(Date.now() - stopAt)}`);
  }
  check(trackedChildren().length === 0, `no tracked child left (left: ${JSON.stringify(trackedChildren())})`);
  const alive = pids.filter((pid) => !isGone(pid));
  check(alive.length === 0, `no service process left (alive: ${alive.join(', ')})`);
  await rm(dir, { recursive: true, force: true });
  return { tools: t.tools, temporal: t.temporal, kafka: t.kafka, postgres: t.postgres, total: t.total, temporalRestart: restartMs };
}

// A pid that no longer runs: gone, or a zombie waiting for init to reap it (it holds no port).
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

// Starts the stack in a child process that then dies without stopping it; no service may survive.
async function crashCheck(how: 'exit' | 'throw' | 'reject'): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./smoke-crash-child.ts', import.meta.url)), how], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const { pids, dir } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { pids: Array<number | undefined>; dir: string };
  const started = pids.filter((p): p is number => p !== undefined);
  check(started.length === 3, `the crash child (${how}) started all three services (pids ${JSON.stringify(pids)})`);
  const gone = await pollUntil(async () => started.every(isGone), { timeoutMs: 10_000, intervalMs: 100 });
  check(gone, `no service outlived a child that ended by ${how} (alive: ${started.filter((p) => !isGone(p)).join(', ')})`);
  await rm(dir, { recursive: true, force: true });
  console.log(`crash check (${how}, exit code ${code}): services ${started.join(', ')} are gone`);
}

const rounds = Number(process.argv[2] ?? 2);
const results: Array<Record<string, number>> = [];
for (let n = 1; n <= rounds; n++) results.push(await round(n));
console.log('\n== the stack dies with its process');
for (const how of ['exit', 'throw', 'reject'] as const) await crashCheck(how);
console.log(`\n${JSON.stringify({ smoke: 'ok', cpus: os.cpus().length, node: process.version, roundsMs: results })}`);
