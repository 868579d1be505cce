// Free TCP ports on the loopback interface, chosen by the OS, for services that need a port number
// before they start (Kafka writes it into its config; Temporal takes it as a flag).
import net from 'node:net';

// The OS may hand the same port out again once we close our probe socket. Services started in
// parallel each ask for ports before any of them binds, so remember what this process handed out
// recently and ask again rather than give two services the same port.
const RECENT_PORTS_KEPT = 256;
const MAX_ATTEMPTS = 20;
const recentPorts: number[] = [];

function probeFreePort(wanted = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: wanted, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS returned no port for 127.0.0.1:0'))));
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out recently. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await probeFreePort();
    if (recentPorts.includes(port)) continue;
    recentPorts.push(port);
    if (recentPorts.length > RECENT_PORTS_KEPT) recentPorts.shift();
    return port;
  }
  throw new Error(`no fresh free port on 127.0.0.1 after ${MAX_ATTEMPTS} attempts; is the ephemeral port range exhausted?`);
}

/**
 * A free port in [min, max], for services that store port numbers in narrow columns (the Temporal
 * server keeps its membership ports in a SMALLINT, so they must stay below 32768, under the usual
 * ephemeral range the OS picks from).
 */
export async function freePortInRange(min: number, max: number): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS * 5; attempt++) {
    const candidate = min + Math.floor(Math.random() * (max - min + 1));
    if (recentPorts.includes(candidate)) continue;
    const port = await probeFreePort(candidate).catch(() => undefined);
    if (port === undefined) continue;
    recentPorts.push(port);
    if (recentPorts.length > RECENT_PORTS_KEPT) recentPorts.shift();
    return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${min} and ${max} after ${MAX_ATTEMPTS * 5} attempts`);
}
