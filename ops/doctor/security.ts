// The doctor's secured-connection checks, one per connection: which security settings are set and
// where from (a value or a file, never what they hold), the client certificates' subjects and expiry.
// The handshakes themselves are tried by the temporal, kafka and postgres checks, which name the
// variable to fix when one fails.
import { X509Certificate } from 'node:crypto';
import type { Config } from '../../config';
import type { SettingSources } from '../../config/secrets';
import type { CheckOutcome, DoctorCheck } from './runner';
import { opened } from './runner';

const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;
const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;

/** `NAME (from file /path)` or `NAME` for each setting of `names` that is set. */
export function settingsSet(sources: SettingSources, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const source = sources[name];
    if (!source) return [];
    return [source.from === 'file' ? `${name} (from file ${source.path})` : name];
  });
}

/** The leaf certificate's subject and expiry: ok, warn near expiry, fail when expired. */
function certificateFinding(variable: string, pem: string | undefined): { line: string; status: CheckOutcome['status'] } | undefined {
  if (!pem) return undefined;
  const cert = new X509Certificate(pem);
  const daysLeft = Math.floor((Date.parse(cert.validTo) - Date.now()) / DAY_MS);
  const subject = cert.subject.replaceAll('\n', ', ');
  if (daysLeft < 0) return { status: 'fail', line: `${variable} (${subject}) expired on ${cert.validTo}` };
  return { status: daysLeft < EXPIRY_WARNING_DAYS ? 'warn' : 'ok', line: `${variable} ${subject}, valid until ${cert.validTo} (${daysLeft} days)` };
}

function outcome(parts: string[], sources: SettingSources, names: readonly string[], certs: ReturnType<typeof certificateFinding>[], renewFix: string): CheckOutcome {
  const set = settingsSet(sources, names);
  const found = certs.filter((c) => c !== undefined);
  const status = found.some((c) => c.status === 'fail') ? 'fail' : found.some((c) => c.status === 'warn') ? 'warn' : 'ok';
  const message = [...parts, ...found.map((c) => c.line), `set: ${set.length ? set.join(', ') : 'none'}`].join('; ');
  return { status, message, ...(status === 'ok' ? {} : { fix: renewFix }), details: { set: names.filter((n) => sources[n]) } };
}

const TEMPORAL_SETTINGS = ['TEMPORAL_TLS', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_API_KEY'];
const KAFKA_SETTINGS = ['KAFKA_SECURITY_PROTOCOL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_OAUTH_TOKEN_FILE',
  'KAFKA_SSL_CA', 'KAFKA_SSL_CERT', 'KAFKA_SSL_KEY', 'KAFKA_SSL_SERVER_NAME'];

export const temporalSecurityCheck: DoctorCheck = {
  name: 'temporal-security',
  needs: [],
  async run(ctx) {
    const config = opened(ctx, 'config');
    const { tls, apiKey } = config.temporal;
    const mode = !tls ? 'plain text (no TLS)' : `TLS${tls.clientCertPair ? ' with a client certificate (mTLS)' : ''}${apiKey ? ' with an API key' : ''}, server CA ${tls.serverRootCACertificate ? 'from TEMPORAL_TLS_CA' : "the system's public roots"}${tls.serverName ? `, server name ${tls.serverName}` : ''}`;
    return outcome([mode], config.settingSources, TEMPORAL_SETTINGS, [certificateFinding('client certificate', tls?.clientCertPair?.crt)],
      'renew the client certificate and set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (or their _FILE forms) to the new pair');
  },
};

export const kafkaSecurityCheck: DoctorCheck = {
  name: 'kafka-security',
  needs: [],
  async run(ctx) {
    const config = opened(ctx, 'config');
    const { protocol, ssl, sasl } = config.kafka.security;
    const parts = [`${protocol}${sasl ? ` ${sasl.mechanism}${'username' in sasl ? ` as ${sasl.username}` : ''}` : ''}`];
    if (ssl) parts.push(`broker CA ${ssl.ca ? 'from KAFKA_SSL_CA' : "the system's public roots"}${ssl.cert ? ', client certificate (mTLS)' : ''}`);
    return outcome(parts, config.settingSources, KAFKA_SETTINGS, [certificateFinding('client certificate', ssl?.cert)],
      'renew the client certificate and set KAFKA_SSL_CERT and KAFKA_SSL_KEY (or their _FILE forms) to the new pair');
  },
};

/** How DATABASE_URL asks pg to connect: its sslmode and sslrootcert, never its password. */
export function postgresTransport(url: string): { sslmode?: string; sslrootcert: boolean; host: string } {
  try {
    const u = new URL(url);
    return { sslmode: u.searchParams.get('sslmode') ?? undefined, sslrootcert: u.searchParams.has('sslrootcert'), host: u.hostname };
  } catch {
    return { sslrootcert: false, host: '(unparseable DATABASE_URL)' };
  }
}

export const postgresSecurityCheck: DoctorCheck = {
  name: 'postgres-security',
  needs: [],
  async run(ctx) {
    const config: Config = opened(ctx, 'config');
    const { sslmode, sslrootcert, host } = postgresTransport(config.databaseUrl);
    const plain = !sslmode || sslmode === 'disable';
    const mode = plain ? 'plain text (no sslmode in DATABASE_URL)' : `sslmode=${sslmode}${sslrootcert ? ' with sslrootcert' : ''}`;
    const result = outcome([`${host}: ${mode}`], config.settingSources, ['DATABASE_URL', 'LLM_API_KEY'], [], '');
    if (plain && !LOOPBACK_HOST.test(host)) {
      return { ...result, status: 'warn', fix: 'add ?sslmode=verify-full&sslrootcert=/path/to/ca.pem to DATABASE_URL (or sslmode=require to encrypt without checking the server)' };
    }
    return result;
  },
};
