// Throwaway certificates for the TLS stack options (Temporal's frontend with mTLS, Kafka's SSL
// listener), made with the machine's `openssl` at start: a CA, a server certificate for 127.0.0.1 and
// localhost, a client certificate, and a client certificate from a second CA the servers do not trust,
// so tests can prove that a stranger is refused. Nothing here is fit for production: keys are
// unencrypted and live as long as the stack directory.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CertificateGenerationError, ToolMissingError } from './errors';
import { findOnPath } from './find-on-path';
import { runCommand } from './run-command';

/** Long enough for any test run or local stack; short so a leaked key is worth little. */
export const CERTIFICATE_VALIDITY_DAYS = 30;
const OPENSSL_TIMEOUT_MS = 30_000;

/** The name clients check the server certificate against (it also carries IP:127.0.0.1). */
export const LOCAL_SERVER_NAME = 'localhost';

export interface KeyPairFiles {
  /** PEM certificate. */
  readonly certFile: string;
  /** PEM private key, PKCS#8, unencrypted, mode 0600. */
  readonly keyFile: string;
}

export interface LocalCertificates {
  readonly dir: string;
  /** The CA that signed `server` and `client`; servers trust client certificates it signed. */
  readonly caFile: string;
  readonly server: KeyPairFiles;
  readonly client: KeyPairFiles;
  /** A second CA, trusted by nothing, and a client certificate it signed: for negative tests. */
  readonly untrustedCaFile: string;
  readonly untrustedClient: KeyPairFiles;
  readonly serverName: typeof LOCAL_SERVER_NAME;
}

/** Writes a fresh set of certificates into `dir` (created; any earlier set there is replaced). */
export async function generateLocalCertificates(dir: string, label = 'kta'): Promise<LocalCertificates> {
  const openssl = findOnPath('openssl');
  if (!openssl) {
    throw new ToolMissingError('openssl', 'to make the certificates of the TLS stack options',
      'Install OpenSSL (apt-get install openssl), or start the stack without TLS.');
  }
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const file = (name: string): string => path.join(root, name);
  const run = async (args: string[]): Promise<void> => {
    const result = await runCommand(openssl, args, { cwd: root, timeoutMs: OPENSSL_TIMEOUT_MS });
    if (result.code !== 0) throw new CertificateGenerationError(root, `openssl ${args.join(' ')}`, result.tail(10));
  };

  // EC P-256: generated in milliseconds, and every client here (Go, Node, rustls, Java) accepts it.
  const newCa = async (name: string, commonName: string): Promise<void> => {
    await run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-days', String(CERTIFICATE_VALIDITY_DAYS),
      '-subj', `/O=${label} local/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await chmod(file(`${name}.key`), 0o600);
  };
  const newLeaf = async (name: string, ca: string, commonName: string, extensions: string[]): Promise<KeyPairFiles> => {
    const keyFile = file(`${name}.key`);
    const certFile = file(`${name}.pem`);
    const csr = file(`${name}.csr`);
    const ext = file(`${name}.ext`);
    await run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', csr, '-subj', `/O=${label} local/CN=${commonName}`]);
    await chmod(keyFile, 0o600);
    // Strict verifiers (rustls, Go) want a v3 leaf that says it is no CA and what it is for.
    await writeFile(ext, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', ...extensions, ''].join('\n'));
    await run(['x509', '-req', '-in', csr, '-CA', file(`${ca}.pem`), '-CAkey', file(`${ca}.key`), '-set_serial', `0x${randomSerial()}`,
      '-out', certFile, '-days', String(CERTIFICATE_VALIDITY_DAYS), '-extfile', ext]);
    await Promise.all([rm(csr, { force: true }), rm(ext, { force: true })]);
    return { certFile, keyFile };
  };

  await Promise.all([newCa('ca', `${label} local CA`), newCa('untrusted-ca', `${label} untrusted CA`)]);
  const [server, client, untrustedClient] = await Promise.all([
    newLeaf('server', 'ca', LOCAL_SERVER_NAME, [`subjectAltName=DNS:${LOCAL_SERVER_NAME},IP:127.0.0.1`, 'extendedKeyUsage=serverAuth,clientAuth']),
    newLeaf('client', 'ca', `${label}-client`, ['extendedKeyUsage=clientAuth']),
    newLeaf('untrusted-client', 'untrusted-ca', `${label}-stranger`, ['extendedKeyUsage=clientAuth']),
  ]);
  return { dir: root, caFile: file('ca.pem'), server, client, untrustedCaFile: file('untrusted-ca.pem'), untrustedClient, serverName: LOCAL_SERVER_NAME };
}

// Serials must differ per certificate of one CA; the leading 1 keeps the number positive.
function randomSerial(): string {
  return `1${randomBytes(8).toString('hex')}`;
}
