// `kta relay`: publish the outbox to the output topics, exactly once per step, until SIGINT/SIGTERM.
import { loadConfig } from '../config';
import { runOutboxRelay } from '../workers/outbox-relay';

export async function relayCommand(): Promise<void> {
  await runOutboxRelay(loadConfig());
}
