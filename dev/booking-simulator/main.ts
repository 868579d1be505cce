// Standalone booking API simulator: `tsx dev/booking-simulator/main.ts [--port 8788]
// [--instance NAME]`, books in DATABASE_URL (the local stack's PostgreSQL by default). Prints one line
// with its URL once listening; faults are switched at run time with POST /admin/config.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { startBookingSimulator } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8788' }, instance: { type: 'string', default: 'standalone' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${values.port} is not a port; use 0 to 65535`);
  const simulator = await startBookingSimulator({ databaseUrl: loadConfig().databaseUrl, port, instance: values.instance });
  console.log(`booking simulator listening on ${simulator.url} (instance ${simulator.instance}); set BOOKING_API_URL=${simulator.url} for the workers`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
