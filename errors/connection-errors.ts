// A secured connection refused for a reason only the configuration can fix: wrong credentials, a
// certificate the other side does not trust, a CA that does not match. Retrying cannot help, so the
// bridge and the worker stop at start-up with the variable to fix, and never the secret itself.

/** Kafka refused the SASL credentials. */
export class KafkaAuthenticationError extends Error {
  override name = 'KafkaAuthenticationError';
  readonly variables = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;
  readonly problem: string;
  readonly fix: string;
  constructor(
    readonly brokers: readonly string[],
    readonly mechanism: string,
    readonly username: string | undefined,
    reason: string,
  ) {
    const problem = `refused SASL ${mechanism} authentication${username ? ` of user ${username}` : ''} (${reason})`;
    const fix =
      'set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) to a user the cluster has, with its current password' +
      (mechanism.startsWith('SCRAM') ? ', and KAFKA_SASL_MECHANISM to the SCRAM variant that user was created with' : '');
    super(`Kafka at ${brokers.join(',')} ${problem}; ${fix}`);
    this.problem = problem;
    this.fix = fix;
  }
}

/** A TLS handshake (or the credentials it carries) failed: `variables` name what to fix. */
export class TlsHandshakeError extends Error {
  override name = 'TlsHandshakeError';
  constructor(
    readonly service: 'Temporal' | 'Kafka',
    readonly address: string,
    readonly variables: readonly string[],
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${service} at ${address}: ${problem}; ${fix}`);
  }
}
