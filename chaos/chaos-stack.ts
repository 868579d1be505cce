// The chaos run's own services, each restartable on its own ports and data: the Temporal dev server
// (same SQLite file), one Kafka broker (same data dir and ports), PostgreSQL (same data dir and port),
// the LLM simulator and the booking API simulator. Never the shared stack: the run kills and
// restarts these.
import path from 'node:path';
import { startBookingSimulator, type BookingSimulator } from '../dev/booking-simulator/server';
import { startLlmSimulator, type LlmSimulator } from '../dev/llm-simulator/server';
import { ensureKafkaJars, ensureTemporalCli, freePort, startKafka, startPostgres, startTemporal, type KafkaBroker, type PostgresServer, type TemporalServer } from '../dev/stack';

export interface ChaosStack {
  readonly temporal: TemporalServer;
  readonly postgres: PostgresServer;
  readonly llm: LlmSimulator;
  readonly booking: BookingSimulator;
  readonly brokers: string[];
  /** The broker in service now (a restart replaces it). */
  kafka(): KafkaBroker;
  /** Brings the stopped Temporal server back (refused once the stack is stopping). */
  restartTemporal(): Promise<void>;
  restartKafka(downMs: number): Promise<void>;
  stopKafka(): Promise<void>;
  stop(): Promise<void>;
}

/** `orderCount`: the orders API knows `ord-1001` onwards, one order per record the run may make. */
export async function startChaosStack(dir: string, seed: number, log: (line: string) => void, { orderCount }: { orderCount: number }): Promise<ChaosStack> {
  const [cli, libsDir] = await Promise.all([ensureTemporalCli(log), ensureKafkaJars(log)]);
  const kafkaPort = await freePort();
  const controllerPort = await freePort();
  const kafkaOptions = { dataDir: path.join(dir, 'kafka'), logFile: path.join(dir, 'logs', 'kafka.log'), libsDir, port: kafkaPort, controllerPort };
  log(`starting Temporal, Kafka and PostgreSQL in ${dir}`);
  const started = await Promise.allSettled([
    startTemporal({ dataDir: path.join(dir, 'temporal'), logFile: path.join(dir, 'logs', 'temporal.log'), cli, ui: false }),
    startKafka(kafkaOptions),
    startPostgres({ dataDir: path.join(dir, 'postgres'), logFile: path.join(dir, 'logs', 'postgres.log') }),
  ]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Nothing half-started may outlive a failed start: it would hold ports and keep the process alive.
    await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  const [temporal, firstKafka, postgres] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [TemporalServer, KafkaBroker, PostgresServer];
  let kafka: KafkaBroker | undefined = firstKafka;
  let kafkaRestart: Promise<void> | undefined;
  let stopped = false;
  const llm = await startLlmSimulator({ port: 0, seed, latency: 'uniform:minMs=20,maxMs=120' });
  const booking = await startBookingSimulator({ databaseUrl: postgres.url, instance: `chaos-${seed}`, orderCount });
  log(`stack ready: temporal ${temporal.address}, kafka ${firstKafka.brokers[0]}, postgres port ${postgres.port}, llm ${llm.baseUrl}, booking ${booking.url}`);
  return {
    temporal,
    postgres,
    llm,
    booking,
    brokers: firstKafka.brokers,
    kafka: () => {
      if (!kafka) throw new Error('the chaos Kafka broker is stopped');
      return kafka;
    },
    async stopKafka() {
      const old = kafka;
      kafka = undefined;
      await old?.stop();
    },
    async restartTemporal() {
      // The injector stops Temporal and restarts it later (an outage); once the stack is stopping (a
      // Ctrl-C mid-outage) that restart must not bring back a server nothing would stop.
      if (stopped) throw new Error('the chaos stack was stopped; its Temporal server is not restarted');
      await temporal.restart();
    },
    async restartKafka(downMs) {
      if (stopped) throw new Error('the chaos stack was stopped; its Kafka broker is not restarted');
      const old = kafka;
      kafka = undefined;
      kafkaRestart = (async () => {
        await old?.stop();
        await new Promise((r) => setTimeout(r, downMs));
        // Same data directory, same ports: the broker comes back with its log and the group's offsets.
        kafka = await startKafka(kafkaOptions);
      })();
      try {
        await kafkaRestart;
      } finally {
        kafkaRestart = undefined;
      }
    },
    async stop() {
      // A Ctrl-C may land during a restart: wait for it, so the broker it brings back is stopped too.
      stopped = true;
      await kafkaRestart?.catch(() => undefined);
      await Promise.allSettled([booking.close(), llm.close()]);
      await Promise.allSettled([temporal.stop(), kafka?.stop()]);
      await postgres.stop();
    },
  };
}
