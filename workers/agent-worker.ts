// The agents' worker (`kta worker`): load config, connect, create, run, close in finally. It registers
// every agent's workflows (the bundle) and activities, and polls WORKER_TASK_QUEUE (default
// review-tagger); run one per task queue the routes name.
import { temporalConnectionOptions } from '../lib/temporal-client';
import { diagnoseTemporalFailure } from '../lib/temporal-failure';
import { agentTables } from '../agents/tables';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config';
import { ensureSchema } from '../activities/sinks/schema';
import { createLogger } from '../lib/logger';
import { createPool } from '../lib/pg-pool';
import { createAgentActivities } from './agent-activities';
import { serveMetrics, type MetricsServer } from '../lib/metrics-server';
import { configuredWorkflowCode } from './workflow-code';
import { createWorkerMetrics, workerReadiness } from './worker-metrics';
import { THROUGHPUT_TABLES } from '../activities/throughput/results-table';

export const DEFAULT_TASK_QUEUE = 'review-tagger';

export async function runAgentWorker(config: Config): Promise<void> {
  const log = createLogger('worker', config.logLevel);
  const taskQueue = config.worker.taskQueue ?? DEFAULT_TASK_QUEUE;
  const pool = createPool(config.databaseUrl, log, { name: 'worker', max: 10 });
  const metrics = createWorkerMetrics(config);
  const agents = createAgentActivities(config, pool, log, undefined, metrics);
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let server: MetricsServer | undefined;
  try {
    // Served from the first moment: a liveness probe sees a live process while it connects.
    if (config.metricsPort) {
      server = await serveMetrics({
        port: config.metricsPort,
        host: config.metricsHost,
        registry: metrics.registry,
        readiness: () => workerReadiness(worker, taskQueue, config.temporal.namespace),
      });
    }
    await ensureSchema(pool, [...agentTables(), ...THROUGHPUT_TABLES]);
    connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal)).catch(async (err: unknown) => {
      throw (await diagnoseTemporalFailure(err, config.temporal)) ?? err;
    });
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      ...configuredWorkflowCode(config.worker.workflowBundlePath),
      activities: agents.activities,
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
      shutdownGraceTime: '10s',
    });
    log.info(
      { taskQueue, namespace: config.temporal.namespace, metricsPort: server?.port, llm: { provider: config.llm.provider, baseUrl: config.llm.baseUrl, model: config.llm.model, limits: config.llm.limits }, bookingApi: config.booking.baseUrl },
      'worker running',
    );
    await worker.run();
    log.info({ taskQueue }, 'worker stopped');
  } finally {
    // Whatever stays open (a dead-letter producer's socket) would keep the process alive after it stopped.
    await agents.close();
    await server?.close();
    await connection?.close();
    await pool.end();
  }
}
