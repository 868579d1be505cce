// `kta bridge`: run the Kafka -> Temporal bridge until SIGINT/SIGTERM, then leave gracefully. The
// handlers are installed before start-up, so a stop while the bridge still connects is graceful too.
import { recordSpecs } from '../agents/record-specs';
import { startBridge } from '../bridge/bridge';
import { loadConfig } from '../config';
import { BridgeStartAbortedError } from '../errors';
import { createLogger } from '../lib/logger';

export async function bridgeCommand(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('bridge', config.logLevel);
  const stop = new AbortController();
  let running = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (running) log.info({ signal }, 'stopping: finishing the in-flight batch and committing it');
    else log.info({ signal }, 'stopping during start-up: closing what was opened');
    stop.abort(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let bridge;
  try {
    bridge = await startBridge(config, log, recordSpecs(), stop.signal);
  } catch (err) {
    if (err instanceof BridgeStartAbortedError) return;
    throw err;
  }
  running = true;
  if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
  await bridge.stop();
}
