// The variables that point the bridge, the worker and `kta` at the stack's SASL_SSL listener, as a
// deployment would set them: the CA and the password as files, the rest as values.
import type { SaslSslListener } from './kafka-sasl';

export function kafkaSaslEnv(listener: SaslSslListener): Record<string, string> {
  return {
    KAFKA_BROKERS: listener.brokers.join(','),
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: listener.mechanism,
    KAFKA_SASL_USERNAME: listener.username,
    KAFKA_SASL_PASSWORD_FILE: listener.passwordFile,
    KAFKA_SSL_CA_FILE: listener.caFile,
  };
}
