// Kafka's secured connection, from the environment, in the terms of Kafka's own client settings
// (security.protocol, sasl.mechanism): SSL with a CA and an optional client certificate (mTLS), SASL
// PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512 with a username and password, or OAUTHBEARER with a token file
// that a sidecar keeps fresh. Each inconsistent combination is a problem line naming what to set.
import { closestName } from '../lib/did-you-mean';
import { Secret } from './secret';
import { type EnvReader, isGiven, readPlain, readSetting } from './secrets';
import { checkCertKeyPair, parseCertificates } from './pem';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export interface KafkaSsl {
  /** PEM of the CA that signed the brokers' certificates; absent: the system's trusted roots. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: Secret;
  readonly serverName?: string;
}

export type KafkaSasl =
  | { readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; readonly username: string; readonly password: Secret }
  | { readonly mechanism: 'OAUTHBEARER'; readonly tokenFile: string };

export interface KafkaSecurity {
  readonly protocol: SecurityProtocol;
  /** Present for SSL and SASL_SSL. */
  readonly ssl?: KafkaSsl;
  /** Present for SASL_PLAINTEXT and SASL_SSL. */
  readonly sasl?: KafkaSasl;
}

function oneOf<T extends string>(reader: EnvReader, name: string, known: readonly T[]): T | undefined {
  const raw = readPlain(reader, name);
  if (raw === undefined) return undefined;
  const value = raw.toUpperCase() as T;
  if (known.includes(value)) return value;
  const near = closestName(raw, known);
  reader.problems.push(`${name} ${JSON.stringify(raw)} is not one of ${known.join(', ')}${near ? `; did you mean ${near}?` : ''}`);
  return undefined;
}

function readSasl(reader: EnvReader, protocol: SecurityProtocol): KafkaSasl | undefined {
  const mechanism = oneOf(reader, 'KAFKA_SASL_MECHANISM', SASL_MECHANISMS);
  const username = readPlain(reader, 'KAFKA_SASL_USERNAME');
  const password = readSetting(reader, 'KAFKA_SASL_PASSWORD');
  const tokenFile = readPlain(reader, 'KAFKA_SASL_OAUTH_TOKEN_FILE');
  const saslSet = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_OAUTH_TOKEN_FILE'].filter((n) => reader.sources[n]);
  if (!protocol.startsWith('SASL_')) {
    if (saslSet.length) reader.problems.push(`${saslSet.join(', ')} ${saslSet.length === 1 ? 'is' : 'are'} set but KAFKA_SECURITY_PROTOCOL is ${protocol}; set KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT) to authenticate with SASL`);
    return undefined;
  }
  if (!mechanism) {
    if (!reader.sources.KAFKA_SASL_MECHANISM) reader.problems.push(`KAFKA_SECURITY_PROTOCOL is ${protocol} but KAFKA_SASL_MECHANISM is not set; set it to ${SASL_MECHANISMS.join(', ')}`);
    return undefined;
  }
  if (mechanism === 'OAUTHBEARER') {
    if (!tokenFile) reader.problems.push('KAFKA_SASL_MECHANISM is OAUTHBEARER but KAFKA_SASL_OAUTH_TOKEN_FILE is not set; point it at the file holding the current token (re-read at each authentication)');
    return tokenFile ? { mechanism, tokenFile } : undefined;
  }
  const missing = [username === undefined && 'KAFKA_SASL_USERNAME', !isGiven(reader, 'KAFKA_SASL_PASSWORD') && 'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)'].filter(Boolean);
  if (missing.length) reader.problems.push(`KAFKA_SASL_MECHANISM is ${mechanism} but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set; set the user's name and password`);
  if (username === undefined || password === undefined) return undefined;
  return { mechanism, username, password: new Secret(password) };
}

function readSsl(reader: EnvReader, protocol: SecurityProtocol): KafkaSsl | undefined {
  const ca = readSetting(reader, 'KAFKA_SSL_CA');
  const cert = readSetting(reader, 'KAFKA_SSL_CERT');
  const key = readSetting(reader, 'KAFKA_SSL_KEY');
  const serverName = readPlain(reader, 'KAFKA_SSL_SERVER_NAME');
  const sslSet = ['KAFKA_SSL_CA', 'KAFKA_SSL_CERT', 'KAFKA_SSL_KEY', 'KAFKA_SSL_SERVER_NAME'].filter((n) => reader.sources[n]);
  if (!protocol.endsWith('SSL')) {
    if (sslSet.length) reader.problems.push(`${sslSet.join(', ')} ${sslSet.length === 1 ? 'is' : 'are'} set but KAFKA_SECURITY_PROTOCOL is ${protocol}; set KAFKA_SECURITY_PROTOCOL=SSL (or SASL_SSL) to connect with TLS`);
    return undefined;
  }
  if (ca !== undefined) parseCertificates('KAFKA_SSL_CA', ca, reader.problems);
  const mtls = checkCertKeyPair('KAFKA_SSL', cert, key, reader.problems);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(mtls ? { cert, key: new Secret(key as string) } : {}),
    ...(serverName !== undefined ? { serverName } : {}),
  };
}

export function readKafkaSecurity(reader: EnvReader): KafkaSecurity {
  const named = oneOf(reader, 'KAFKA_SECURITY_PROTOCOL', SECURITY_PROTOCOLS);
  // A misspelt protocol is one problem; checking the rest against a guess would add misleading ones.
  if (named === undefined && reader.sources.KAFKA_SECURITY_PROTOCOL) return { protocol: 'PLAINTEXT' };
  const protocol = named ?? 'PLAINTEXT';
  const ssl = readSsl(reader, protocol);
  const sasl = readSasl(reader, protocol);
  return { protocol, ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}
