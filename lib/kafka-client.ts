// How every process reaches Kafka: one place turns the configuration into kafkajs client options
// (brokers, client ID, TLS, SASL), so the bridge, the workers, the relay and every operation connect
// the same way. Callers add what is theirs (log level, timeouts, retries) to what this returns.
import { readFile } from 'node:fs/promises';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { Config } from '../config';
import type { KafkaSasl, KafkaSsl } from '../config/kafka-security';

export type KafkaConnectionConfig = Pick<Config['kafka'], 'brokers' | 'clientId' | 'security'>;

function tlsOptions(ssl: KafkaSsl): NonNullable<Exclude<KafkaConfig['ssl'], boolean>> {
  return {
    ...(ssl.ca !== undefined ? { ca: [ssl.ca] } : {}),
    ...(ssl.cert !== undefined && ssl.key !== undefined ? { cert: ssl.cert, key: ssl.key.reveal() } : {}),
    ...(ssl.serverName !== undefined ? { servername: ssl.serverName } : {}),
  };
}

function saslOptions(sasl: KafkaSasl): SASLOptions {
  if (sasl.mechanism === 'OAUTHBEARER') {
    const { tokenFile } = sasl;
    // Read at every authentication, so a token a sidecar refreshes in the file is used on reconnect.
    return { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: (await readFile(tokenFile, 'utf8')).trim() }) };
  }
  const credentials = { username: sasl.username, password: sasl.password.reveal() };
  switch (sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', ...credentials };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', ...credentials };
  }
}

/** kafkajs options for the configured cluster; the client ID is `<KAFKA_CLIENT_ID>-<suffix>`, naming the user in broker logs. */
export function kafkaClientOptions(kafka: KafkaConnectionConfig, clientIdSuffix: string): KafkaConfig {
  const { security } = kafka;
  return {
    clientId: clientIdSuffix ? `${kafka.clientId}-${clientIdSuffix}` : kafka.clientId,
    brokers: kafka.brokers,
    ...(security.ssl ? { ssl: tlsOptions(security.ssl) } : {}),
    ...(security.sasl ? { sasl: saslOptions(security.sasl) } : {}),
  };
}
