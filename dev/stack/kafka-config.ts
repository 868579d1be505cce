// The files a single-node KRaft broker reads: server.properties and a log4j config that sends its
// logs to one file (not stdout), so start-up errors can quote them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface KafkaConfigInput {
  /** Holds the config files and, under data/, the broker's log segments. */
  dataDir: string;
  port: number;
  controllerPort: number;
  messageMaxBytes: number;
  logFile: string;
  /** A SASL_SSL listener on this port besides PLAINTEXT, with its own entries (dev/stack/kafka-sasl.ts). */
  saslSsl?: { port: number; properties: Record<string, string> };
}

export interface KafkaConfigFiles {
  serverProperties: string;
  log4jProperties: string;
  /** The broker's log.dirs; formatted storage holds meta.properties here. */
  logDir: string;
}

export async function writeKafkaConfig(input: KafkaConfigInput): Promise<KafkaConfigFiles> {
  const logDir = path.join(input.dataDir, 'data');
  const serverProperties = path.join(input.dataDir, 'server.properties');
  const log4jProperties = path.join(input.dataDir, 'log4j.properties');

  const sasl = input.saslSsl;
  const server: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${input.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${input.port},CONTROLLER://127.0.0.1:${input.controllerPort}${sasl ? `,SASL_SSL://127.0.0.1:${sasl.port}` : ''}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${input.port}${sasl ? `,SASL_SSL://127.0.0.1:${sasl.port}` : ''}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${sasl ? ',SASL_SSL:SASL_SSL' : ''}`,
    'log.dirs': logDir,
    // One broker: internal topics cannot have more replicas than that.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    // A few partitions for internal topics instead of 50: creating 50 partitions on the first
    // consumer group costs seconds on two cores, and one broker gains nothing from them.
    'offsets.topic.num.partitions': 5,
    'transaction.state.log.num.partitions': 5,
    // Tests start consumers one after another; the default 3 s delay would slow every join.
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
    // Topics are created on purpose (with their partition count); a typo must fail, not create one.
    'auto.create.topics.enable': false,
    // Large records (a 3 MB document for an agent) must fit, on the wire and when fetched.
    'message.max.bytes': input.messageMaxBytes,
    'replica.fetch.max.bytes': input.messageMaxBytes,
    ...sasl?.properties,
  };
  await writeFile(serverProperties, toProperties(server));

  const log4j: Record<string, string> = {
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.FileAppender',
    'log4j.appender.file.File': input.logFile,
    'log4j.appender.file.Append': 'true',
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    // Per-request and per-state-change lines would drown the lines that explain a failure.
    'log4j.logger.kafka.request.logger': 'WARN',
    'log4j.logger.state.change.logger': 'WARN',
  };
  await writeFile(log4jProperties, toProperties(log4j));

  return { serverProperties, log4jProperties, logDir };
}

// Java properties treat a backslash as an escape; paths and values are written literally otherwise.
function toProperties(entries: Record<string, string | number | boolean>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${String(value).replaceAll('\\', '\\\\')}`)
    .join('\n')}\n`;
}
