// Backpressure from capacity. Two reasons pause a topic's partitions, each with its own resume mark
// (hysteresis: no pause/resume flapping); the topic resumes when no reason holds it any more. Lag stays
// visible in Kafka; nothing is dropped; nothing is committed that was not started.
//
// open-runs: while a route has `maxOpenRuns` runs open; resumes at RESUME_AT_FRACTION of the bound (core/pause-verdict.ts).
// Open runs are counted by Temporal visibility (Running runs of the route's topic and workflow type)
// plus the bridge's own starts that the count cannot include yet. Visibility, not the bridge's starts
// minus completions: it survives bridge restarts, sees the runs other bridges of the group started,
// and needs no completion feed; polling it once a second is cheap. The own-starts term is every start
// launched since the last count began that was not yet acknowledged when it began, so a start in
// flight during a count is never missed (it may be counted twice, which only pauses earlier).
//
// model-saturated: while the model's rate limiter (shared by every worker, in PostgreSQL) is saturated:
// a provider's Retry-After is in force or calls are waiting for room. New runs would only queue behind
// the limiter and time out; the runs already open drain it. Resumes once nothing waits and the window
// is at most RESUME_AT_FRACTION full.
import type { Client } from '@temporalio/client';
import type { Route } from '../config';
import type { Logger } from '../lib/logger';
import { isUndefinedTable } from '../lib/pg-errors';
import { modelSaturationVerdict, openRunsVerdict, type PauseReason, type Saturation } from '../core/pause-verdict';
import type { BridgeMetrics } from './metrics';


export interface TopicSwitch {
  pauseTopic(topic: string): void;
  resumeTopic(topic: string): void;
}

/** Where the bridge reads the model limiter's state (TokenLimiter.saturation for the configured model). */
export type SaturationProbe = () => Promise<Saturation>;

export class Backpressure {
  private readonly bounded: Route[];
  /** Topics whose routes pause on model saturation. */
  private readonly modelTopics: string[];
  private readonly held = new Map<string, Set<PauseReason>>();
  private readonly launched = new Map<string, number>();
  private readonly acknowledged = new Map<string, number>();
  /** Launches the last count cannot have seen: all launches minus those acknowledged before it began. */
  private readonly countedUpTo = new Map<string, number>();
  private readonly lastCount = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private switch?: TopicSwitch;

  constructor(
    private readonly client: Client,
    routes: Route[],
    private readonly pollMs: number,
    private readonly metrics: BridgeMetrics,
    private readonly log: Logger,
    private readonly saturation?: SaturationProbe,
  ) {
    this.bounded = routes.filter((r) => r.maxOpenRuns !== undefined);
    this.modelTopics = saturation ? [...new Set(routes.filter((r) => r.pauseOnModelSaturation).map((r) => r.topic))] : [];
  }

  get enabled(): boolean {
    return this.bounded.length > 0 || this.modelTopics.length > 0;
  }

  start(topics: TopicSwitch): void {
    if (!this.enabled) return;
    this.switch = topics;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = true;
      void this.poll().finally(() => { this.polling = false; });
    }, this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private open(route: Route): number {
    const t = route.topic;
    return (this.lastCount.get(t) ?? 0) + (this.launched.get(t) ?? 0) - (this.countedUpTo.get(t) ?? 0);
  }

  /** True while any reason holds the topic: the batch loop launches nothing more. */
  holdTopic = (topic: string): boolean => (this.held.get(topic)?.size ?? 0) > 0;

  private heldTopics(): number {
    return [...this.held.values()].filter((r) => r.size > 0).length;
  }

  /** A start was acknowledged by Temporal: the next count includes it. */
  onAcknowledged = (topic: string): void => {
    this.acknowledged.set(topic, (this.acknowledged.get(topic) ?? 0) + 1);
  };

  onLaunched = (topic: string): void => {
    this.launched.set(topic, (this.launched.get(topic) ?? 0) + 1);
    for (const route of this.bounded) {
      if (route.topic === topic && this.open(route) >= route.maxOpenRuns!) this.hold(topic, 'open-runs', { openRuns: this.open(route), bound: route.maxOpenRuns });
    }
  };

  private hold(topic: string, reason: PauseReason, details: Record<string, unknown>): void {
    const reasons = this.held.get(topic) ?? new Set<PauseReason>();
    if (reasons.has(reason)) return;
    reasons.add(reason);
    this.held.set(topic, reasons);
    this.metrics.pauses.inc({ reason });
    if (reasons.size === 1) {
      this.switch?.pauseTopic(topic);
      this.metrics.pausedPartitions.set(this.heldTopics());
    }
    this.log.info({ topic, reason, ...details }, `backpressure: pausing the topic (${reason})`);
  }

  private release(topic: string, reason: PauseReason, details: Record<string, unknown>): void {
    const reasons = this.held.get(topic);
    if (!reasons?.delete(reason)) return;
    this.metrics.resumes.inc({ reason });
    if (reasons.size === 0) {
      this.switch?.resumeTopic(topic);
      this.metrics.pausedPartitions.set(this.heldTopics());
      this.log.info({ topic, reason, ...details }, `backpressure: resuming the topic (${reason} cleared)`);
    } else {
      this.log.info({ topic, reason, stillHeldBy: [...reasons], ...details }, `backpressure: ${reason} cleared; the topic stays paused`);
    }
  }

  private async poll(): Promise<void> {
    await this.pollOpenRuns().catch((err: Error) => this.log.warn({ err: err.message }, 'open-run count failed; keeping the last decision'));
    await this.pollSaturation().catch((err: Error) => this.log.warn({ err: err.message }, 'reading the model limiter failed; keeping the last decision'));
  }

  private async pollOpenRuns(): Promise<void> {
    for (const route of this.bounded) {
      const query = `KafkaTopic = "${route.topic}" AND WorkflowType = "${route.workflowType}" AND ExecutionStatus = "Running"`;
      const ackedBefore = this.acknowledged.get(route.topic) ?? 0;
      const { count } = await this.client.workflow.count(query);
      this.lastCount.set(route.topic, count);
      this.countedUpTo.set(route.topic, ackedBefore);
      const open = this.open(route);
      this.metrics.openRuns.set({ route: `${route.topic}:${route.workflowType}` }, open);
      this.metrics.maxOpenRunsSeen = Math.max(this.metrics.maxOpenRunsSeen, open);
      const details = { openRuns: open, bound: route.maxOpenRuns };
      const verdict = openRunsVerdict(open, route.maxOpenRuns!);
      if (verdict === 'pause') this.hold(route.topic, 'open-runs', details);
      else if (verdict === 'run') this.release(route.topic, 'open-runs', details);
    }
  }

  private async pollSaturation(): Promise<void> {
    if (!this.saturation || this.modelTopics.length === 0) return;
    let s: Saturation;
    try {
      s = await this.saturation();
    } catch (err) {
      // No worker has created the limiter's tables yet: nothing can be saturated.
      if (isUndefinedTable(err)) return;
      throw err;
    }
    this.metrics.modelSaturated.set(s.saturated ? 1 : 0);
    this.metrics.modelWindowFraction.set(s.fraction);
    const details = { limiterKey: s.key, retryAfterMs: s.retryAfterMs, callsWaiting: s.callsWaiting, windowFraction: Number(s.fraction.toFixed(3)) };
    const verdict = modelSaturationVerdict(s);
    for (const topic of this.modelTopics) {
      if (verdict === 'pause') this.hold(topic, 'model-saturated', details);
      else if (verdict === 'run') this.release(topic, 'model-saturated', details);
    }
  }
}
