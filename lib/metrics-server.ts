// A tiny HTTP endpoint per process (bridge, worker, relay) on METRICS_PORT, bound to METRICS_HOST:
// /metrics for Prometheus, /stats (a JSON view of the same counters, where the process has one),
// /healthz (liveness: the process answers) and /readyz (readiness: the process does its job; what
// that means is the caller's, see README "Readiness"). A probe that cannot be answered is not ready.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** Ready or not, and why: the reason is the probe's body, so `curl /readyz` tells an operator what is missing. */
export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

export interface MetricsServerOptions {
  readonly port: number;
  /** 127.0.0.1 by default (nothing outside the host scrapes it); 0.0.0.0 in a container. */
  readonly host?: string;
  readonly registry: Registry;
  readonly readiness: () => Readiness | Promise<Readiness>;
  readonly stats?: () => Promise<unknown>;
}

export interface MetricsServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function serveMetrics(opts: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, readiness, stats } = opts;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = async () => {
      if (path === '/metrics') {
        res.setHeader('content-type', registry.contentType);
        res.end(await registry.metrics());
      } else if (path === '/stats' && stats) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(await stats()));
      } else if (path === '/healthz') {
        res.end('ok');
      } else if (path === '/readyz') {
        const r = await readiness();
        res.statusCode = r.ready ? 200 : 503;
        res.end(`${r.ready ? 'ready' : 'not ready'}: ${r.reason}`);
      } else {
        res.statusCode = 404;
        res.end(`not found; try /metrics, /healthz or /readyz${stats ? ' or /stats' : ''}`);
      }
    };
    reply().catch((err: Error) => {
      res.statusCode = path === '/readyz' ? 503 : 500;
      res.end(path === '/readyz' ? `not ready: ${err.message}` : err.message);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, host, resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: () => new Promise((resolve) => {
      // Keep-alive scrapers would hold close() open until their sockets time out.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
