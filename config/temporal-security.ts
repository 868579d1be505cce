// Temporal's secured connection, from the environment: TLS with the server's CA and name, mTLS with a
// client certificate, an API key (Temporal Cloud). TEMPORAL_TLS defaults to on as soon as any of these
// is set, so Temporal Cloud needs only its address, namespace and key (or certificate).
import { Secret } from './secret';
import { type EnvReader, readBoolean, readPlain, readSetting } from './secrets';
import { checkCertKeyPair, parseCertificates } from './pem';

export interface TemporalTls {
  /** PEM of the CA that signed the server's certificate; absent: the system's trusted roots. */
  readonly serverRootCACertificate?: string;
  readonly serverName?: string;
  /** mTLS: the client certificate and its key. */
  readonly clientCertPair?: { readonly crt: string; readonly key: Secret };
}

export interface TemporalSecurity {
  /** Absent: plain text. */
  readonly tls?: TemporalTls;
  readonly apiKey?: Secret;
}

const TLS_SETTINGS = ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'] as const;

export function readTemporalSecurity(reader: EnvReader): TemporalSecurity {
  const explicitTls = readBoolean(reader, 'TEMPORAL_TLS');
  const ca = readSetting(reader, 'TEMPORAL_TLS_CA');
  const serverName = readPlain(reader, 'TEMPORAL_TLS_SERVER_NAME');
  const cert = readSetting(reader, 'TEMPORAL_TLS_CERT');
  const key = readSetting(reader, 'TEMPORAL_TLS_KEY');
  const apiKey = readSetting(reader, 'TEMPORAL_API_KEY');
  const tlsSettings = TLS_SETTINGS.filter((name) => reader.sources[name]);

  if (explicitTls === false && tlsSettings.length > 0) {
    reader.problems.push(`TEMPORAL_TLS is false but ${tlsSettings.join(', ')} ${tlsSettings.length === 1 ? 'is' : 'are'} set; remove TEMPORAL_TLS (TLS is on when these are set) or remove them for a plain-text connection`);
    return {};
  }
  if (ca !== undefined) parseCertificates('TEMPORAL_TLS_CA', ca, reader.problems);
  const mtls = checkCertKeyPair('TEMPORAL_TLS', cert, key, reader.problems);
  const tlsOn = explicitTls ?? (tlsSettings.length > 0 || apiKey !== undefined);
  return {
    ...(tlsOn
      ? {
          tls: {
            ...(ca !== undefined ? { serverRootCACertificate: ca } : {}),
            ...(serverName !== undefined ? { serverName } : {}),
            ...(mtls ? { clientCertPair: { crt: cert as string, key: new Secret(key as string) } } : {}),
          },
        }
      : {}),
    ...(apiKey !== undefined ? { apiKey: new Secret(apiKey) } : {}),
  };
}
