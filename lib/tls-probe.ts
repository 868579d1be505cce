// One TLS handshake with a server, to learn why a connection failed: the Temporal client library
// reports a refused handshake only as "Failed to connect before the deadline", so the bridge, the
// worker and the doctor ask the server directly and read OpenSSL's reason (a CA that does not match,
// an alert refusing the client certificate, a server that does not speak TLS).
import tls from 'node:tls';

const PROBE_TIMEOUT_MS = 5_000;
/** TLS 1.3 servers refuse a client certificate after the client's side of the handshake is done. */
const ALERT_GRACE_MS = 500;

export interface TlsProbeOptions {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly serverName?: string;
  /** false: only ask whether the server speaks TLS at all. */
  readonly verify?: boolean;
}

export type TlsProbeResult =
  | { readonly outcome: 'accepted' }
  | { readonly outcome: 'failed'; readonly error: Error }
  /** No answer: refused port, unknown host, timeout. Nothing to learn about TLS. */
  | { readonly outcome: 'unreachable' };

export function probeTls(address: string, opts: TlsProbeOptions): Promise<TlsProbeResult> {
  const cut = address.lastIndexOf(':');
  const host = address.slice(0, cut).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(cut + 1));
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: TlsProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = tls.connect({
      host, port, ALPNProtocols: ['h2'], rejectUnauthorized: opts.verify ?? true,
      ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}),
      ...(opts.serverName ? { servername: opts.serverName } : /^[\d.]+$|:/.test(host) ? {} : { servername: host }),
    });
    const timer = setTimeout(() => done({ outcome: 'unreachable' }), PROBE_TIMEOUT_MS);
    socket.once('secureConnect', () => setTimeout(() => done({ outcome: 'accepted' }), ALERT_GRACE_MS));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN'].includes(err.code ?? '') ? { outcome: 'unreachable' } : { outcome: 'failed', error: err }));
    socket.resume();
  });
}
