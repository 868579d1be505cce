// The agents' worker (`kta worker`): load config, connect, create, run, close in finally. It registers
// every agent's workflows (the bundle) and activities, and polls WORKER_TASK_QUEUE (default
// review-tagger); run one per task queue the routes name.
import { temporalConnectionOptions } from '../lib/temporal-client';
import { agentTables } from '../agents/tables';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import { ensureSchema } from '../activities/sinks/schema';
import { createLogger } from '../lib/logger';
import { createPool } from '../lib/pg-pool';
import { createAgentActivities } from './agent-activities';
import { configuredWorkflowCode } from './workflow-code';
import { THROUGHPUT_TABLES } from '../activities/throughput/results-table';

export const DEFAULT_TASK_QUEUE = 'review-tagger';

export async function runAgentWorker(config: Config): Promise<void> {
  const log = createLogger('worker', config.logLevel);
  const taskQueue = config.worker.taskQueue ?? DEFAULT_TASK_QUEUE;
  const pool = createPool(config.databaseUrl, log, { name: 'worker', max: 10 });
  const agents = createAgentActivities(config, pool, log);
  let connection: NativeConnection | undefined;
  try {
    await ensureSchema(pool, [...agentTables(), ...THROUGHPUT_TABLES]);
    connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      ...configuredWorkflowCode(config.worker.workflowBundlePath),
      activities: agents.activities,
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      shutdownGraceTime: '10s',
    });
    log.info(
      { taskQueue, namespace: config.temporal.namespace, llm: { provider: config.llm.provider, baseUrl: config.llm.baseUrl, model: config.llm.model, limits: config.llm.limits }, bookingApi: config.booking.baseUrl },
      'worker running',
    );
    await worker.run();
    log.info({ taskQueue }, 'worker stopped');
  } finally {
    // Whatever stays open (a dead-letter producer's socket) would keep the process alive after it stopped.
    await agents.close();
    await connection?.close();
    await pool.end();
  }
}
