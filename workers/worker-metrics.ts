// The agents' worker's Prometheus registry: the model gateway's series (activities/llm/model-metrics.ts),
// run dead letters by class, and the process's own (memory, event-loop lag), on a registry of its own
// so two workers in one process (tests) do not share counters. And its /readyz.
import type { Worker } from '@temporalio/worker';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config';
import { createModelMetrics, type ModelMetrics } from '../activities/llm/model-metrics';
import type { RunDeadLetterInput } from '../activities/dead-letter';
import type { Readiness } from '../lib/metrics-server';

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly model: ModelMetrics;
  runDeadLetter(cls: RunDeadLetterInput['class']): void;
}

export function createWorkerMetrics(config: Pick<Config, 'llm'>): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kta_worker_' });
  const deadLetters = new Counter({ name: 'kta_run_dead_letters_total', help: 'Runs that failed for good and published a dead letter, by class (REPROCESS, HUMAN_REVIEW, COMPENSATE)', labelNames: ['class'], registers: [registry] });
  return {
    registry,
    model: createModelMetrics(registry, config.llm.prices),
    runDeadLetter: (cls) => deadLetters.inc({ class: cls }),
  };
}

/**
 * Ready while the SDK Worker is RUNNING: it has registered with its task queue and polls it for
 * workflow and activity tasks. Not ready while it connects and creates the Worker, nor once it drains
 * (SIGTERM), stops or failed.
 */
export function workerReadiness(worker: Worker | undefined, taskQueue: string, namespace: string): Readiness {
  if (!worker) return { ready: false, reason: `starting: connecting to Temporal and creating the worker for task queue ${taskQueue}` };
  const state = worker.getState();
  return state === 'RUNNING'
    ? { ready: true, reason: `polling task queue ${taskQueue} in namespace ${namespace}` }
    : { ready: false, reason: `the worker for task queue ${taskQueue} is ${state}` };
}
