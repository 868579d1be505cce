// Worker for the review tagger's task queue: load config, connect, create, run, close in finally.
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import type { Config } from '../config';
import { createProvider } from '../activities/llm/create-provider';
import { createGatewayActivities } from '../activities/llm/gateway';
import { TokenLimiter } from '../activities/llm/limiter/token-limiter';
import { createReviewTaggerActivities } from '../activities/review-tagger';
import { ensureSchema } from '../activities/sinks/schema';
import { createLogger } from '../lib/logger';
import { WORKFLOWS_PATH } from './bundle';

export const REVIEW_TAGGER_TASK_QUEUE = 'review-tagger';

export async function runReviewTaggerWorker(config: Config): Promise<void> {
  const log = createLogger('worker', config.logLevel);
  const taskQueue = config.worker.taskQueue ?? REVIEW_TAGGER_TASK_QUEUE;
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
  let connection: NativeConnection | undefined;
  try {
    await ensureSchema(pool);
    connection = await NativeConnection.connect({ address: config.temporal.address });
    const provider = createProvider(config.llm);
    const limiter = new TokenLimiter(pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      ...(config.worker.workflowBundlePath
        ? { workflowBundle: { codePath: config.worker.workflowBundlePath } }
        : { workflowsPath: WORKFLOWS_PATH }),
      activities: {
        ...createGatewayActivities({ ...config.llm, provider, limiter }),
        ...createReviewTaggerActivities({ pool }),
      },
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      shutdownGraceTime: '10s',
    });
    log.info({ taskQueue, namespace: config.temporal.namespace, llm: { provider: config.llm.provider, baseUrl: config.llm.baseUrl, model: config.llm.model, limits: config.llm.limits } }, 'worker running');
    await worker.run();
    log.info({ taskQueue }, 'worker stopped');
  } finally {
    await connection?.close();
    await pool.end();
  }
}
