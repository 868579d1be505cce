// Turns a failed Kafka connection into the error that names the variable to fix: refused credentials
// (KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD), a TLS failure (KAFKA_SSL_CA, ...), or otherwise an
// unreachable cluster (KAFKA_BROKERS).
import { KafkaAuthenticationError, ServiceUnavailableError, TlsHandshakeError } from '../errors';
import type { KafkaConnectionConfig } from './kafka-client';
import { diagnoseTls, errorText } from './tls-failure';

const UNREACHABLE_FIX = 'start Kafka (npx kta stack up) or set KAFKA_BROKERS to host:port of reachable brokers';

/** The credentials or certificate problem in `err`, if it is one; undefined for anything retrying may fix. */
export function kafkaSecurityFailure(err: unknown, kafka: KafkaConnectionConfig): KafkaAuthenticationError | TlsHandshakeError | undefined {
  const { brokers, security } = kafka;
  const name = (err as Error | undefined)?.name ?? '';
  const text = errorText(err);
  if (name === 'KafkaJSSASLAuthenticationError' || text.includes('authentication failed') || text.includes('sasl authentication')) {
    const reason = (err as Error).message.replace(/^sasl .*?authentication failed:?\s*/i, '') || 'authentication failed';
    const user = security.sasl && 'username' in security.sasl ? security.sasl.username : undefined;
    return new KafkaAuthenticationError(brokers, security.sasl?.mechanism ?? 'SASL', user, reason);
  }
  if (!security.ssl) return undefined;
  const tls = diagnoseTls(err, 'KAFKA_SSL', { mtls: security.ssl.cert !== undefined, caSet: security.ssl.ca !== undefined });
  return tls && new TlsHandshakeError('Kafka', brokers.join(','), tls.variables, tls.problem, tls.fix);
}

/** Always an error to throw at start-up: the security failure, else "not reachable" naming KAFKA_BROKERS. */
export function kafkaConnectFailure(err: unknown, kafka: KafkaConnectionConfig): Error {
  return kafkaSecurityFailure(err, kafka) ?? new ServiceUnavailableError('Kafka', kafka.brokers.join(','), UNREACHABLE_FIX, { cause: err });
}
