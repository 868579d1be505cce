// A single-node Kafka broker in KRaft mode (broker and controller in one JVM), started from the
// cached jars with its storage formatted on first use.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { ServiceExitedError, ToolMissingError, ToolNotPreparedError } from './errors';
import { findOnPath } from './find-on-path';
import { classCache } from './kafka-class-cache';
import { kafkaJarsReady, kafkaLibsDir } from './kafka-jars';
import { checkClusterId, newClusterId } from './kafka-cluster-id';
import { writeKafkaConfig } from './kafka-config';
import { addScramUsers, prepareSaslSsl, type KafkaSecurityOptions, type SaslSslListener } from './kafka-sasl';
import { freePort } from './ports';
import { spawnService } from './process';
import { runCommand } from './run-command';
import { assertPortsFree, waitUntilReady } from './service-ready';
import { canConnect } from './wait';

/** The JVM starts slowly on two cores, and the first start also formats storage. */
export const KAFKA_START_TIMEOUT_MS = 90_000;
/** Big enough for a 3 MB record plus its batch overhead. */
export const DEFAULT_MESSAGE_MAX_BYTES = 5 * 1024 * 1024;
const HEAP_MAX = '-Xmx512m';
const FORMAT_TIMEOUT_MS = 60_000;
const RECORDING_STOP_GRACE_MS = 45_000;
const PROBE_CONNECTION_TIMEOUT_MS = 1_000;
const PROBE_REQUEST_TIMEOUT_MS = 3_000;

export interface KafkaOptions {
  /** Holds server.properties, log4j.properties and the broker's data (data/). */
  dataDir: string;
  port?: number;
  controllerPort?: number;
  messageMaxBytes?: number;
  logFile?: string;
  startTimeoutMs?: number;
  /** The jar directory; by default the tools cache (see ensureKafkaJars). */
  libsDir?: string;
  /** Formats fresh storage with this cluster ID (a Kafka UUID) instead of a random one. */
  clusterId?: string;
  /** Adds a SASL_SSL listener (SCRAM-SHA-512, SCRAM-SHA-256, PLAIN) with throwaway certificates. */
  security?: KafkaSecurityOptions;
}

export interface KafkaBroker {
  readonly brokers: string[];
  readonly port: number;
  readonly controllerPort: number;
  readonly pid: number;
  readonly logFile: string;
  /** The SASL_SSL listener, when `security.saslSsl` was asked for. */
  readonly sasl?: SaslSslListener;
  stop(): Promise<void>;
}

export async function startKafka(options: KafkaOptions): Promise<KafkaBroker> {
  const clusterId = options.clusterId === undefined ? newClusterId() : checkClusterId(options.clusterId);
  const libsDir = options.libsDir ?? kafkaLibsDir();
  if (!kafkaJarsReady(libsDir)) throw new ToolNotPreparedError('The Kafka jars', libsDir, 'ensureKafkaJars()');
  const java = findOnPath('java');
  if (!java) throw new ToolMissingError('java', 'to run the Kafka broker', 'Install a Java 17+ runtime (Debian/Ubuntu: apt-get install openjdk-17-jre-headless).');

  const dataDir = path.resolve(options.dataDir);
  const logFile = path.resolve(options.logFile ?? path.join(dataDir, 'kafka.log'));
  const port = options.port ?? (await freePort());
  const controllerPort = options.controllerPort ?? (await freePort());
  const broker = `127.0.0.1:${port}`;
  const saslPort = options.security ? (options.security.port ?? (await freePort())) : undefined;
  await assertPortsFree('Kafka', [port, controllerPort, ...(saslPort ? [saslPort] : [])]);
  await mkdir(dataDir, { recursive: true });
  await mkdir(path.dirname(logFile), { recursive: true });
  const sasl = options.security && saslPort ? await prepareSaslSsl(dataDir, saslPort, options.security) : undefined;
  const config = await writeKafkaConfig({
    dataDir, port, controllerPort, logFile, messageMaxBytes: options.messageMaxBytes ?? DEFAULT_MESSAGE_MAX_BYTES,
    ...(sasl && saslPort ? { saslSsl: { port: saslPort, properties: sasl.properties } } : {}),
  });
  // The classpath wildcard is expanded by java itself, so no shell is involved.
  const jvm = ['-cp', path.join(libsDir, '*'), `-Dlog4j.configuration=${pathToFileURL(config.log4jProperties).href}`,
    `-Dkafka.logs.dir=${path.dirname(logFile)}`, '-Djava.awt.headless=true'];

  const classes = classCache(java, libsDir);

  // Formatting costs a JVM start, so a data directory that already holds a cluster is reused as is.
  const formatted = existsSync(path.join(config.logDir, 'meta.properties'));
  if (!formatted) {
    // The tool shares most classes with the broker, so it may use the broker's archive, never record it.
    const formatJvm = classes.ready ? [...classes.jvmArgs, ...jvm] : jvm;
    // `--cluster-id=<id>` is one argument, so an ID that starts with '-' can never read as a flag.
    const format = await runCommand(java, [...formatJvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`,
      '-c', config.serverProperties, '--ignore-formatted', ...(sasl?.formatArgs ?? [])], { timeoutMs: FORMAT_TIMEOUT_MS });
    if (format.code !== 0) throw new ServiceExitedError('Kafka storage format', format.code, format.signal, logFile, format.tail());
  }

  const proc = await spawnService({
    name: 'kafka',
    command: java,
    // A broker that runs out of heap should die visibly, not limp on and time out requests.
    args: [HEAP_MAX, '-XX:+ExitOnOutOfMemoryError', ...classes.jvmArgs, ...jvm, 'kafka.Kafka', config.serverProperties],
    logFile,
    // Writing the class archive at exit takes seconds on a busy machine; a kill would waste it.
    ...(classes.ready ? {} : { stopGraceMs: RECORDING_STOP_GRACE_MS }),
  });
  // However the broker ends (stop, the registry, a crash), keep the class archive it recorded.
  const archiveKept = proc.exited.then((exit) => classes.keepRecording(exit)).catch(() => undefined);
  await waitUntilReady(proc, {
    service: 'Kafka',
    waitingFor: `a TCP connect and an admin listTopics on ${broker}`,
    timeoutMs: options.startTimeoutMs ?? KAFKA_START_TIMEOUT_MS,
    check: async () => (await canConnect('127.0.0.1', port)) && (saslPort === undefined || (await canConnect('127.0.0.1', saslPort))) && (await adminAnswers(broker)),
  });
  // Storage formatted by an earlier start has no users of this start: create them with Kafka's own tool.
  if (sasl && formatted) await addScramUsers(java, jvm, broker, sasl.listener.users, FORMAT_TIMEOUT_MS);

  return {
    brokers: [broker],
    port,
    controllerPort,
    pid: proc.pid,
    logFile,
    ...(sasl ? { sasl: sasl.listener } : {}),
    stop: async () => {
      await proc.stop();
      await archiveKept;
    },
  };
}

// An open port only means the JVM has bound it; a metadata answer means the broker has finished
// starting and producers and admin calls will work.
async function adminAnswers(broker: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'kta-stack-readiness',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: PROBE_CONNECTION_TIMEOUT_MS,
    requestTimeout: PROBE_REQUEST_TIMEOUT_MS,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
