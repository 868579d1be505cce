// `kta bridge`: run the Kafka -> Temporal bridge until SIGINT/SIGTERM, then leave gracefully.
import { recordSpecs } from '../agents/record-specs';
import { startBridge } from '../bridge/bridge';
import { loadConfig } from '../config';
import { createLogger } from '../lib/logger';

export async function bridgeCommand(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('bridge', config.logLevel);
  const bridge = await startBridge(config, log, recordSpecs());
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info({ signal }, 'stopping: finishing the in-flight batch and committing it');
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await bridge.stop();
}
