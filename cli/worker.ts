// `kta worker`: run the agents' worker on WORKER_TASK_QUEUE until SIGINT/SIGTERM (the SDK drains on those signals).
import { loadConfig } from '../config';
import { runAgentWorker } from '../workers/agent-worker';

export async function workerCommand(): Promise<void> {
  await runAgentWorker(loadConfig());
}
