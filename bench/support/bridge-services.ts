// The project's side of a bench: `kta bridge` and `kta worker` as real child processes (as the tests
// run them), configured through the environment like any deployment, with the bridge's /stats
// readable over HTTP on 127.0.0.1.
import { startService, type ServiceProcess } from '../../lib/service-process';
import { freePort, type Stack, temporalTlsEnv } from '../../dev/stack';

/** The part of the bridge's /stats JSON the benches read. */
export interface BridgeStats {
  records: number;
  starts: number;
  duplicates: number;
  startErrors: number;
  commits: number;
  /** Batches stopped because a heartbeat reported a rebalance. */
  rebalances: number;
  groupJoins: number;
}

export interface BenchServiceEnv {
  readonly stack: Stack;
  readonly topic: string;
  readonly groupId: string;
  readonly taskQueue: string;
  readonly llmBaseUrl?: string;
  readonly workflowBundlePath?: string;
  /** Settings beyond the defaults, e.g. KAFKA_MAX_BYTES_PER_PARTITION; BRIDGE_* stay at their defaults unless given. */
  readonly extra?: Record<string, string>;
}

export function serviceEnv(opts: BenchServiceEnv): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: opts.stack.temporal.address,
    TEMPORAL_NAMESPACE: opts.stack.temporal.namespace,
    ...(opts.stack.temporal.tls ? temporalTlsEnv(opts.stack.temporal.tls) : {}),
    KAFKA_BROKERS: opts.stack.kafka.brokers.join(','),
    KAFKA_GROUP_ID: opts.groupId,
    DATABASE_URL: opts.stack.postgres.url,
    WORKER_TASK_QUEUE: opts.taskQueue,
    ROUTES: JSON.stringify([{ topic: opts.topic, workflowType: 'tagReview', taskQueue: opts.taskQueue }]),
    ...(opts.llmBaseUrl ? { LLM_BASE_URL: opts.llmBaseUrl } : {}),
    ...(opts.workflowBundlePath ? { WORKFLOW_BUNDLE_PATH: opts.workflowBundlePath } : {}),
    ...opts.extra,
  };
}

export type BenchBridge = ServiceProcess & {
  readonly metricsPort: number;
  stats(): Promise<BridgeStats>;
  /** The sum of every sample of one Prometheus metric (all label sets), from /metrics. */
  metric(name: string): Promise<number>;
};

export async function startBenchBridge(env: Record<string, string>, logDir: string, name: string): Promise<BenchBridge> {
  const metricsPort = await freePort();
  const proc = startService('bridge', { ...env, METRICS_PORT: String(metricsPort) }, logDir, name);
  const stats = async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/stats`);
    if (!res.ok) throw new Error(`bridge ${name} /stats answered ${res.status}`);
    return (await res.json()) as BridgeStats;
  };
  const metric = async (metricName: string) => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    if (!res.ok) throw new Error(`bridge ${name} /metrics answered ${res.status}`);
    const samples = (await res.text()).split('\n').filter((line) => line.startsWith(`${metricName} `) || line.startsWith(`${metricName}{`));
    return samples.reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };
  return Object.assign(proc, { metricsPort, stats, metric });
}

export function startBenchWorker(env: Record<string, string>, logDir: string, name: string): ServiceProcess {
  return startService('worker', env, logDir, name);
}
