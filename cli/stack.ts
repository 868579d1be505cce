// `kta stack up | down`: the local stack for working by hand. `up` starts Temporal (the dev server
// with its UI, or with --server postgres the server users deploy, with --tls behind mutual TLS),
// Kafka, PostgreSQL and the LLM simulator, writes <dir>/stack.json and <dir>/stack.env (the variables
// that point `kta bridge` and `kta worker` at it), and stays in the foreground until Ctrl-C.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLlmSimulator } from '../dev/llm-simulator/server';
import { kafkaSaslEnv, readStackFile, startStack, temporalTlsEnv, writeStackFile } from '../dev/stack';

const stackFile = (dir: string) => path.join(dir, 'stack.json');

export async function stackUp(opts: { dir: string; server?: 'dev' | 'postgres'; tls?: boolean; kafkaSecurity?: string }): Promise<void> {
  const dir = path.resolve(opts.dir);
  const stack = await startStack({
    dir, ui: true, databaseUrl: process.env.DATABASE_URL, temporalServer: opts.server, tls: opts.tls,
    ...(opts.kafkaSecurity === 'sasl-ssl' ? { kafkaSecurity: { saslSsl: true } } : {}),
  });
  const simulator = await startLlmSimulator({ port: 0, seed: 42, latencyMs: 50 });
  await writeStackFile(stack, stackFile(dir));
  const env = {
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    ...(stack.temporal.tls ? temporalTlsEnv(stack.temporal.tls) : {}),
    KAFKA_BROKERS: stack.kafka.brokers.join(','),
    DATABASE_URL: stack.postgres.url,
    LLM_BASE_URL: simulator.baseUrl,
    // The secured listener replaces KAFKA_BROKERS: everything the env file starts authenticates.
    ...(stack.kafka.sasl ? kafkaSaslEnv(stack.kafka.sasl) : {}),
  };
  const envFile = path.join(dir, 'stack.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `export ${k}=${v}\n`).join(''), { mode: 0o600 });
  const temporalLine = stack.temporal.kind === 'postgres'
    ? `Temporal ${stack.temporal.address} (PostgreSQL-backed${stack.temporal.tls ? `, mutual TLS, CA ${stack.temporal.tls.caFile}` : ''}; no UI)`
    : `Temporal ${stack.temporal.address}  UI ${stack.temporal.uiUrl}`;
  console.log(`stack up in ${dir}\n  ${temporalLine}\n  Kafka ${stack.kafka.brokers.join(',')}${stack.kafka.sasl ? ` (SASL_SSL ${stack.kafka.sasl.brokers.join(',')}, ${stack.kafka.sasl.mechanism} user ${stack.kafka.sasl.username})` : ''}\n  LLM simulator ${simulator.baseUrl}`);
  console.log(`in another shell: source ${envFile} && npx kta worker   (and npx kta bridge)`);
  console.log('Ctrl-C stops everything');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await simulator.close();
  await stack.stop();
}

export async function stackDown(opts: { dir: string }): Promise<void> {
  const file = await readStackFile(stackFile(path.resolve(opts.dir)));
  // The `up` process owns the services; SIGTERM to each makes them shut down cleanly.
  for (const [service, pid] of Object.entries(file.pids)) {
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGTERM');
      console.log(`stopped ${service} (pid ${pid})`);
    } catch {
      console.log(`${service} (pid ${pid}) was not running`);
    }
  }
}
