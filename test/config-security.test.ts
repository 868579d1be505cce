// The secured-connection settings as the configuration reads them: every mistake is one problem line
// naming the variable and the fix, secrets may come from files, and no message or log shows a secret.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { before, test } from 'node:test';
import type { OauthbearerProviderResponse } from 'kafkajs';
import { loadConfig } from '../config';
import { generateLocalCertificates, type LocalCertificates } from '../dev/stack/certs';
import { ConfigError } from '../errors';
import { kafkaClientOptions } from '../lib/kafka-client';
import { temporalConnectionOptions } from '../lib/temporal-client';

const PASSWORD = 'pa55-word-never-printed';
let dir: string;
let certs: LocalCertificates;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kta-config-security-'));
  certs = await generateLocalCertificates(join(dir, 'certs'));
});

const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** The problem lines loadConfig throws for `env`; fails the test when it does not throw. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, not ${String(err)}`);
    assert.ok(!err.message.includes(PASSWORD), `the message shows no secret: ${err.message}`);
    return err.problems;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

const SASL_SSL = { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_USERNAME: 'svc' };

test('a secret given both as a value and as a file is refused, naming both variables', () => {
  const path = file('both', PASSWORD);
  assert.deepEqual(problems({ ...SASL_SSL, KAFKA_SASL_PASSWORD: PASSWORD, KAFKA_SASL_PASSWORD_FILE: path }), [
    'KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set; keep one (KAFKA_SASL_PASSWORD_FILE=<path> for a mounted secret, or KAFKA_SASL_PASSWORD for the value itself)',
  ]);
});

test('an unreadable _FILE names the variable, the path and the reason', () => {
  const missing = join(dir, 'no-such-file');
  assert.deepEqual(problems({ TEMPORAL_API_KEY_FILE: missing }), [`TEMPORAL_API_KEY_FILE (${missing}) cannot be read (ENOENT); point TEMPORAL_API_KEY_FILE at a file this process can read`]);
});

test('a password file loses its trailing line break, and the configuration never shows the password', () => {
  const config = loadConfig({ ...SASL_SSL, KAFKA_SASL_PASSWORD_FILE: file('password', `${PASSWORD}\n`), KAFKA_SSL_CA_FILE: certs.caFile });
  const options = kafkaClientOptions(config.kafka, 'test');
  assert.deepEqual(options.sasl, { mechanism: 'scram-sha-512', username: 'svc', password: PASSWORD });
  assert.deepEqual(options.ssl, { ca: [readFileSync(certs.caFile, 'utf8').replace(/\n$/, '')] });
  assert.equal(options.clientId, 'kafka-temporal-agents-test');
  for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.kafka.security.sasl && 'password' in config.kafka.security.sasl ? config.kafka.security.sasl.password : '')]) {
    assert.ok(!shown.includes(PASSWORD), 'the password is not in the printed configuration');
  }
  assert.deepEqual(config.settingSources.KAFKA_SASL_PASSWORD, { from: 'file', path: join(dir, 'password') });
});

test('PEM mistakes name the variable: not PEM at all, a key where a certificate belongs, a certificate cut short', () => {
  const pem = readFileSync(certs.caFile, 'utf8');
  const cut = pem.replace(/(-----BEGIN CERTIFICATE-----\n)([\s\S]{40})[\s\S]*?(\n-----END)/, '$1$2$3');
  assert.deepEqual(problems({ TEMPORAL_TLS_CA: certs.caFile }), [
    'TEMPORAL_TLS_CA does not hold PEM text (-----BEGIN ...-----); give the PEM itself in TEMPORAL_TLS_CA, or the path of the PEM file in TEMPORAL_TLS_CA_FILE',
  ]);
  assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: certs.client.keyFile }), [
    'KAFKA_SSL_CA holds a PRIVATE KEY where a CERTIFICATE is expected; put the certificate there (a private key belongs in the matching _KEY variable)',
  ]);
  assert.deepEqual(problems({ TEMPORAL_TLS_CA: cut }), ['TEMPORAL_TLS_CA holds a certificate that does not parse (cut short or altered?); copy the whole PEM again']);
});

test('a client certificate needs its own key: one without the other, or a key of another certificate, is refused', () => {
  assert.deepEqual(problems({ TEMPORAL_TLS_CERT_FILE: certs.client.certFile }), [
    'TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not; a client certificate needs its private key: set both (or their _FILE forms), or neither',
  ]);
  const [mismatch] = problems({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: certs.client.certFile, KAFKA_SSL_KEY_FILE: certs.server.keyFile });
  assert.match(mismatch, /^KAFKA_SSL_KEY is not the private key of the certificate in KAFKA_SSL_CERT \(O=kta local, CN=kta-client\); give the key that was issued with that certificate$/);
});

test('SASL settings must agree: a mechanism needs its credentials and a SASL protocol, a misspelt mechanism gets a suggestion', () => {
  assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'PLAIN' }), [
    'KAFKA_SASL_MECHANISM is PLAIN but KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) are not set; set the user\'s name and password',
  ]);
  assert.deepEqual(problems({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: PASSWORD }), [
    'KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT; set KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT) to authenticate with SASL',
  ]);
  assert.deepEqual(problems({ ...SASL_SSL, KAFKA_SASL_MECHANISM: 'SCRAM-SHA512', KAFKA_SASL_PASSWORD: PASSWORD }), [
    'KAFKA_SASL_MECHANISM "SCRAM-SHA512" is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER; did you mean SCRAM-SHA-512?',
  ]);
  assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }), ['KAFKA_SECURITY_PROTOCOL is SASL_SSL but KAFKA_SASL_MECHANISM is not set; set it to PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER']);
  assert.deepEqual(problems({ KAFKA_SSL_CA_FILE: certs.caFile }), [
    'KAFKA_SSL_CA is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT; set KAFKA_SECURITY_PROTOCOL=SSL (or SASL_SSL) to connect with TLS',
  ]);
});

test('TEMPORAL_TLS is on by default once a TLS setting or an API key is set, and false with TLS settings is a contradiction', () => {
  const cloud = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: PASSWORD });
  assert.deepEqual(temporalConnectionOptions(cloud.temporal), { address: 'ns.acct.tmprl.cloud:7233', tls: {}, apiKey: PASSWORD });
  const mtls = loadConfig({ TEMPORAL_TLS_CA_FILE: certs.caFile, TEMPORAL_TLS_CERT_FILE: certs.client.certFile, TEMPORAL_TLS_KEY_FILE: certs.client.keyFile, TEMPORAL_TLS_SERVER_NAME: 'localhost' });
  const tls = temporalConnectionOptions(mtls.temporal).tls;
  assert.equal(tls?.serverNameOverride, 'localhost');
  assert.equal(tls?.clientCertPair?.key.toString(), readFileSync(certs.client.keyFile, 'utf8').replace(/\n$/, ''));
  assert.ok(!JSON.stringify(mtls).includes('PRIVATE KEY'), 'the key is not in the printed configuration');
  assert.equal(temporalConnectionOptions(loadConfig({}).temporal).tls, undefined, 'plain text by default');
  assert.deepEqual(problems({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_FILE: certs.caFile }), [
    'TEMPORAL_TLS is false but TEMPORAL_TLS_CA is set; remove TEMPORAL_TLS (TLS is on when these are set) or remove them for a plain-text connection',
  ]);
});

test('OAUTHBEARER reads the token file at every authentication, so a refreshed token is used', async () => {
  const tokenFile = file('token', 'token-one\n');
  const config = loadConfig({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'OAUTHBEARER', KAFKA_SASL_OAUTH_TOKEN_FILE: tokenFile });
  const sasl = kafkaClientOptions(config.kafka, 'x').sasl as { mechanism: string; oauthBearerProvider: () => Promise<OauthbearerProviderResponse> };
  assert.equal(sasl.mechanism, 'oauthbearer');
  assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-one' });
  writeFileSync(tokenFile, 'token-two');
  assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-two' });
  assert.deepEqual(problems({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_MECHANISM: 'OAUTHBEARER' }), [
    'KAFKA_SASL_MECHANISM is OAUTHBEARER but KAFKA_SASL_OAUTH_TOKEN_FILE is not set; point it at the file holding the current token (re-read at each authentication)',
  ]);
});

test('DATABASE_URL and LLM_API_KEY may come from files', () => {
  const url = 'postgres://u:secret@db.internal:5432/kta?sslmode=verify-full&sslrootcert=/etc/ca.pem';
  const config = loadConfig({ DATABASE_URL_FILE: file('db', `${url}\n`), LLM_API_KEY_FILE: file('llm', PASSWORD), LLM_BASE_URL: 'https://api.example.com/v1', LLM_MODEL: 'm' });
  assert.equal(config.databaseUrl, url);
  assert.equal(config.llm.apiKey, PASSWORD);
});
