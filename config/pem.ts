// Checks PEM material when the configuration is read, with node:crypto, so a pasted certificate cut
// short or a key in the certificate's variable stops start-up with the variable's name instead of
// failing later inside a TLS handshake with an OpenSSL code.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

const notPem = (name: string) =>
  `${name} does not hold PEM text (-----BEGIN ...-----); give the PEM itself in ${name}, or the path of the PEM file in ${name}_FILE`;

/** The certificates of a PEM bundle (a CA file may hold several); a problem line when any does not parse. */
export function parseCertificates(name: string, pem: string, problems: string[]): X509Certificate[] {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) {
    problems.push(notPem(name));
    return [];
  }
  const certs: X509Certificate[] = [];
  for (const [block, label] of blocks) {
    if (label !== 'CERTIFICATE') {
      problems.push(`${name} holds a ${label} where a CERTIFICATE is expected; put the certificate there (a private key belongs in the matching _KEY variable)`);
      return [];
    }
    try {
      certs.push(new X509Certificate(block));
    } catch {
      problems.push(`${name} holds a certificate that does not parse (cut short or altered?); copy the whole PEM again`);
      return [];
    }
  }
  return certs;
}

/** The private key of a PEM; a problem line (never the key) when it does not parse or is encrypted. */
export function parsePrivateKey(name: string, pem: string, problems: string[]): KeyObject | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    problems.push(`${name} does not hold a PEM private key (-----BEGIN PRIVATE KEY-----); give the key itself in ${name}, or its path in ${name}_FILE`);
    return undefined;
  }
  if (pem.includes('ENCRYPTED')) {
    problems.push(`${name} holds an encrypted private key; give it unencrypted (openssl pkey -in key.pem -out plain.pem) and protect the file instead`);
    return undefined;
  }
  try {
    return createPrivateKey(pem);
  } catch {
    problems.push(`${name} holds a private key that does not parse (cut short or altered?); copy the whole PEM again`);
    return undefined;
  }
}

/** A client certificate and its key: both or neither, parsed, and belonging together. */
export function checkCertKeyPair(prefix: string, cert: string | undefined, key: string | undefined, problems: string[]): boolean {
  const certName = `${prefix}_CERT`;
  const keyName = `${prefix}_KEY`;
  if (cert === undefined && key === undefined) return false;
  if (cert === undefined || key === undefined) {
    const [has, lacks] = cert === undefined ? [keyName, certName] : [certName, keyName];
    problems.push(`${has} is set but ${lacks} is not; a client certificate needs its private key: set both (or their _FILE forms), or neither`);
    return false;
  }
  const before = problems.length;
  const [leaf] = parseCertificates(certName, cert, problems);
  const keyObject = parsePrivateKey(keyName, key, problems);
  if (problems.length > before || !leaf || !keyObject) return false;
  if (!leaf.checkPrivateKey(keyObject)) {
    problems.push(`${keyName} is not the private key of the certificate in ${certName} (${leaf.subject.replaceAll('\n', ', ')}); give the key that was issued with that certificate`);
    return false;
  }
  return true;
}
