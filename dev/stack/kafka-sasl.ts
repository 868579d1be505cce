// The Kafka stack option with a SASL_SSL listener, as managed clusters (MSK, Confluent Cloud) offer:
// TLS with throwaway certificates (dev/stack/certs.ts) in a PKCS12 keystore, and SCRAM-SHA-512,
// SCRAM-SHA-256 and PLAIN users. SCRAM users are created by Kafka's own tools: the storage format
// (--add-scram) on fresh storage, ConfigCommand on storage formatted before. The PLAINTEXT listener
// stays, on 127.0.0.1 only, for the broker itself and the stack's own readiness probe and tooling.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateLocalCertificates } from './certs';
import { CertificateGenerationError, StackConfigError } from './errors';
import { findOnPath } from './find-on-path';
import { runCommand } from './run-command';

const OPENSSL_TIMEOUT_MS = 30_000;
const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
/** Characters a JAAS line and Kafka's --add-scram syntax carry without quoting rules. */
const SAFE_CREDENTIAL = /^[A-Za-z0-9_.-]+$/;

export interface SaslUser {
  readonly username: string;
  readonly password: string;
}

export interface KafkaSecurityOptions {
  readonly saslSsl: true;
  /** Users of every mechanism (SCRAM-SHA-512, SCRAM-SHA-256, PLAIN); default one `kta` user with a random password. */
  readonly users?: readonly SaslUser[];
  /** The SASL_SSL listener's port; default a free one. */
  readonly port?: number;
}

/** What a client needs to reach the SASL_SSL listener as the first user. */
export interface SaslSslListener {
  readonly brokers: string[];
  readonly port: number;
  /** PEM of the CA that signed the broker's certificate (SAN IP:127.0.0.1, DNS:localhost). */
  readonly caFile: string;
  readonly mechanism: 'SCRAM-SHA-512';
  readonly username: string;
  readonly password: string;
  /** The password in a file (mode 0600), for KAFKA_SASL_PASSWORD_FILE. */
  readonly passwordFile: string;
  readonly users: readonly SaslUser[];
  /** The certificates' directory: a client certificate signed by the same CA, and an untrusted one, for tests. */
  readonly certsDir: string;
}

export interface PreparedSaslSsl {
  readonly listener: SaslSslListener;
  /** server.properties entries for the listener. */
  readonly properties: Record<string, string>;
  /** Arguments of the storage format that create the SCRAM users. */
  readonly formatArgs: string[];
}

const scramConfig = (user: SaslUser) => SCRAM_MECHANISMS.map((m) => `${m}=[password=${user.password}]`).join(',');

export async function prepareSaslSsl(dataDir: string, port: number, options: KafkaSecurityOptions): Promise<PreparedSaslSsl> {
  const users = options.users?.length ? options.users : [{ username: 'kta', password: randomBytes(12).toString('hex') }];
  for (const u of users) {
    if (!SAFE_CREDENTIAL.test(u.username) || !SAFE_CREDENTIAL.test(u.password)) {
      throw new StackConfigError(`Kafka SASL user ${JSON.stringify(u.username)}`, 'use letters, digits, ".", "_" and "-" only in stack user names and passwords');
    }
  }
  const certs = await generateLocalCertificates(path.join(dataDir, 'certs'), 'kta-kafka');
  const keystore = path.join(certs.dir, 'broker.p12');
  const keystorePassword = randomBytes(12).toString('hex');
  const openssl = findOnPath('openssl') as string; // generateLocalCertificates has found it
  const args = ['pkcs12', '-export', '-in', certs.server.certFile, '-inkey', certs.server.keyFile, '-certfile', certs.caFile,
    '-name', 'kafka-broker', '-out', keystore, '-passout', `pass:${keystorePassword}`];
  const exported = await runCommand(openssl, args, { timeoutMs: OPENSSL_TIMEOUT_MS });
  if (exported.code !== 0) throw new CertificateGenerationError(certs.dir, 'openssl pkcs12 -export (the broker keystore)', exported.tail(10));
  const passwordFile = path.join(certs.dir, 'sasl-password');
  await writeFile(passwordFile, `${users[0].password}\n`, { mode: 0o600 });

  const jaas = (module: string, entries = '') => `org.apache.kafka.common.security.${module} required${entries};`;
  const properties: Record<string, string> = {
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': jaas('scram.ScramLoginModule'),
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': jaas('scram.ScramLoginModule'),
    'listener.name.sasl_ssl.plain.sasl.jaas.config': jaas('plain.PlainLoginModule', users.map((u) => ` user_${u.username}="${u.password}"`).join('')),
    'listener.name.sasl_ssl.ssl.keystore.type': 'PKCS12',
    'listener.name.sasl_ssl.ssl.keystore.location': keystore,
    'listener.name.sasl_ssl.ssl.keystore.password': keystorePassword,
    'listener.name.sasl_ssl.ssl.client.auth': 'none',
  };
  return {
    listener: {
      brokers: [`127.0.0.1:${port}`], port, caFile: certs.caFile, mechanism: 'SCRAM-SHA-512',
      username: users[0].username, password: users[0].password, passwordFile, users, certsDir: certs.dir,
    },
    properties,
    formatArgs: users.map((u) => SCRAM_MECHANISMS.map((m) => ['--add-scram', `${m}=[name=${u.username},password=${u.password}]`]).flat()).flat(),
  };
}

/** Creates (or resets) the SCRAM users on a running broker, for storage formatted before this start. */
export async function addScramUsers(java: string, jvm: string[], bootstrap: string, users: readonly SaslUser[], timeoutMs: number): Promise<void> {
  for (const u of users) {
    const result = await runCommand(java, [...jvm, 'kafka.admin.ConfigCommand', '--bootstrap-server', bootstrap, '--alter',
      '--add-config', scramConfig(u), '--entity-type', 'users', '--entity-name', u.username], { timeoutMs });
    if (result.code !== 0) throw new StackConfigError(`Kafka SASL user ${u.username}`, `kafka.admin.ConfigCommand failed: ${result.tail(5)}`);
  }
}
