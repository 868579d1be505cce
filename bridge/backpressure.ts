// Backpressure from capacity: while a route has `maxOpenRuns` runs open, the bridge pauses its topic's
// partitions and resumes below a lower mark. Lag stays visible in Kafka; nothing is dropped; nothing is
// committed that was not started.
//
// Open runs are counted by Temporal visibility (Running runs of the route's topic and workflow type)
// plus the bridge's own starts that the count cannot include yet. Visibility, not the bridge's starts
// minus completions: it survives bridge restarts, sees the runs other bridges of the group started,
// and needs no completion feed; polling it once a second is cheap. The own-starts term is every start
// launched since the last count began that was not yet acknowledged when it began, so a start in
// flight during a count is never missed (it may be counted twice, which only pauses earlier).
import type { Client } from '@temporalio/client';
import type { Route } from '../config';
import type { Logger } from '../lib/logger';
import type { BridgeMetrics } from './metrics';

/** Resume once open runs fall to this fraction of the bound (hysteresis: no pause/resume flapping). */
export const RESUME_AT_FRACTION = 0.8;

export interface TopicSwitch {
  pauseTopic(topic: string): void;
  resumeTopic(topic: string): void;
}

export class Backpressure {
  private readonly bounded: Route[];
  private readonly paused = new Set<string>();
  private readonly launched = new Map<string, number>();
  private readonly acknowledged = new Map<string, number>();
  /** Launches the last count cannot have seen: all launches minus those acknowledged before it began. */
  private readonly countedUpTo = new Map<string, number>();
  private readonly lastCount = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly client: Client,
    routes: Route[],
    private readonly pollMs: number,
    private readonly metrics: BridgeMetrics,
    private readonly log: Logger,
  ) {
    this.bounded = routes.filter((r) => r.maxOpenRuns !== undefined);
  }

  get enabled(): boolean {
    return this.bounded.length > 0;
  }

  start(topics: TopicSwitch): void {
    if (!this.enabled) return;
    this.switch = topics;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = true;
      this.poll(topics).catch((err: Error) => this.log.warn({ err: err.message }, 'open-run count failed; keeping the last decision'))
        .finally(() => { this.polling = false; });
    }, this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private open(route: Route): number {
    const t = route.topic;
    return (this.lastCount.get(t) ?? 0) + (this.launched.get(t) ?? 0) - (this.countedUpTo.get(t) ?? 0);
  }

  /** True while the topic is paused: the batch loop launches nothing more. */
  holdTopic = (topic: string): boolean => this.paused.has(topic);

  /** A start was acknowledged by Temporal: the next count includes it. */
  onAcknowledged = (topic: string): void => {
    this.acknowledged.set(topic, (this.acknowledged.get(topic) ?? 0) + 1);
  };

  onLaunched = (topic: string): void => {
    this.launched.set(topic, (this.launched.get(topic) ?? 0) + 1);
    for (const route of this.bounded) {
      if (route.topic === topic && this.open(route) >= route.maxOpenRuns! && !this.paused.has(topic)) this.markPaused(route);
    }
  };

  private switch?: TopicSwitch;

  private markPaused(route: Route): void {
    this.paused.add(route.topic);
    this.switch?.pauseTopic(route.topic);
    this.metrics.pauses.inc();
    this.metrics.pausedPartitions.set(this.paused.size);
    this.log.info({ topic: route.topic, openRuns: this.open(route), bound: route.maxOpenRuns }, 'backpressure: pausing the topic');
  }

  private async poll(topics: TopicSwitch): Promise<void> {
    for (const route of this.bounded) {
      const query = `KafkaTopic = "${route.topic}" AND WorkflowType = "${route.workflowType}" AND ExecutionStatus = "Running"`;
      const ackedBefore = this.acknowledged.get(route.topic) ?? 0;
      const { count } = await this.client.workflow.count(query);
      this.lastCount.set(route.topic, count);
      this.countedUpTo.set(route.topic, ackedBefore);
      const open = this.open(route);
      this.metrics.openRuns.set({ route: `${route.topic}:${route.workflowType}` }, open);
      this.metrics.maxOpenRunsSeen = Math.max(this.metrics.maxOpenRunsSeen, open);
      if (!this.paused.has(route.topic) && open >= route.maxOpenRuns!) this.markPaused(route);
      else if (this.paused.has(route.topic) && open <= Math.floor(route.maxOpenRuns! * RESUME_AT_FRACTION)) {
        this.paused.delete(route.topic);
        topics.resumeTopic(route.topic);
        this.metrics.resumes.inc();
        this.metrics.pausedPartitions.set(this.paused.size);
        this.log.info({ topic: route.topic, openRuns: open, bound: route.maxOpenRuns }, 'backpressure: resuming the topic');
      }
    }
  }
}
