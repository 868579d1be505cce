// Worker for the review tagger's task queue: load config, connect, create, run, close in finally.
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import type { Config } from '../config';
import { ChatModel } from '../activities/llm/chat-model';
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
    const model = new ChatModel(config.llm);
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      ...(config.worker.workflowBundlePath
        ? { workflowBundle: { codePath: config.worker.workflowBundlePath } }
        : { workflowsPath: WORKFLOWS_PATH }),
      activities: createReviewTaggerActivities({ model, pool }),
      maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
      shutdownGraceTime: '10s',
    });
    log.info({ taskQueue, namespace: config.temporal.namespace, llmBaseUrl: config.llm.baseUrl, model: config.llm.model }, 'worker running');
    await worker.run();
    log.info({ taskQueue }, 'worker stopped');
  } finally {
    await connection?.close();
    await pool.end();
  }
}
