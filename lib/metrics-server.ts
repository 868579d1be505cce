// A tiny HTTP endpoint for Prometheus (/metrics), a JSON view of the same counters (/stats) and a
// liveness probe (/healthz). Bound to 127.0.0.1 unless told otherwise.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export async function serveMetrics(
  port: number,
  registry: Registry,
  stats: () => Promise<unknown>,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const reply = async () => {
      if (req.url === '/metrics') {
        res.setHeader('content-type', registry.contentType);
        res.end(await registry.metrics());
      } else if (req.url === '/stats') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(await stats()));
      } else if (req.url === '/healthz') {
        res.end('ok');
      } else {
        res.statusCode = 404;
        res.end('not found; try /metrics, /stats or /healthz');
      }
    };
    reply().catch((err: Error) => {
      res.statusCode = 500;
      res.end(err.message);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
