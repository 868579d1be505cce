// `kta bridge`: run the Kafka -> Temporal bridge until SIGINT/SIGTERM, then leave gracefully. The
// handlers are installed before start-up, so a stop while the bridge still connects is graceful too.
import { recordSpecs } from '../agents/record-specs';
import { TokenLimiter, limiterKeyFor } from '../activities/llm/limiter/token-limiter';
import { startBridge, type BridgeDeps } from '../bridge/bridge';
import { loadConfig } from '../config';
import { BridgeStartAbortedError } from '../errors';
import { createLogger } from '../lib/logger';

/** The bridge's composition: the agents' record schemas and the workers' model limiter, read-only. */
function bridgeDeps(config: ReturnType<typeof loadConfig>): BridgeDeps {
  return {
    records: recordSpecs(),
    modelSaturation: (pool) => {
      const limiter = new TokenLimiter(pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
      const key = limiterKeyFor(config.llm.provider, config.llm.model);
      return () => limiter.saturation(key);
    },
  };
}

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
    bridge = await startBridge(config, log, bridgeDeps(config), stop.signal);
  } catch (err) {
    if (err instanceof BridgeStartAbortedError) return;
    throw err;
  }
  running = true;
  if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
  await bridge.stop();
}
