// The throughput mode's activities: one batch activity per batch of a partition run (few actions per
// record: one activity start, and heartbeats only while a batch takes long), and the load of the
// partition's mark when a new run starts. The per-record work is record-work.ts.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { AgentDefinition } from '../../agents/agent-definition';
import type { BatchOutcome, ProcessBatchInput } from '../../core/throughput';
import type { DeadLetterActivities } from '../dead-letter';
import type { GatewayActivities } from '../llm/gateway';
import { loadMark, loadResults, raiseMark, type PartitionKey } from './results-table';
import { workRecord, type RecordWorkDeps } from './record-work';

export interface ThroughputDeps {
  readonly pool: Pool;
  readonly agents: readonly AgentDefinition[];
  readonly callModel: GatewayActivities['callModel'];
  readonly publishRunDeadLetter: DeadLetterActivities['publishRunDeadLetter'];
}

export function createThroughputActivities(deps: ThroughputDeps) {
  const byType = new Map(deps.agents.filter((a) => a.throughput).map((a) => [a.workflowType, a]));
  return {
    /** The highest offset of the last batch this partition finished whole, or null. */
    async loadPartitionMark(at: PartitionKey): Promise<string | null> {
      return (await loadMark(deps.pool, at)) ?? null;
    },

    async processThroughputBatch(input: ProcessBatchInput): Promise<BatchOutcome> {
      const ctx = Context.current();
      const agent = byType.get(input.agent);
      if (!agent?.throughput) {
        throw ApplicationFailure.nonRetryable(`agent ${input.agent} has no throughput hooks; give its agent.ts a \`throughput\` or route it with mode per-record`, 'ThroughputUnsupported');
      }
      const { topic, partition } = input.records[0].source;
      const at: PartitionKey = { route: input.route, topic, partition };
      const existing = await loadResults(deps.pool, at, input.records.map((r) => r.source.offset));
      const work: RecordWorkDeps = {
        pool: deps.pool,
        hooks: agent.throughput,
        recordSchema: agent.recordSchema,
        callModel: deps.callModel,
        publishRunDeadLetter: deps.publishRunDeadLetter,
        settings: input.settings,
        at,
        workflowId: ctx.info.workflowExecution?.workflowId ?? '(no workflow)',
        deadLetterTopic: input.deadLetterTopic,
      };
      const outcome = { done: 0, resumed: 0, deadLettered: 0, modelCalls: 0 };
      const systemic: unknown[] = [];
      // Heartbeats cost an action each on Temporal Cloud: none for a batch shorter than a third of the
      // heartbeat timeout, then one per third (the SDK throttles further, to 80% of the timeout).
      const heartbeat = setInterval(() => ctx.heartbeat(outcome), Math.floor(input.heartbeatTimeoutMs / 3));
      try {
        let next = 0;
        const lane = async () => {
          for (let i = next++; i < input.records.length && !ctx.cancellationSignal.aborted && !systemic.length; i = next++) {
            const record = input.records[i];
            try {
              const r = await workRecord(work, record, existing.get(record.source.offset));
              outcome.modelCalls += r.modelCalls;
              outcome[r.end === 'done' ? 'done' : r.end === 'resumed' ? 'resumed' : 'deadLettered']++;
            } catch (err) {
              systemic.push(err);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(input.concurrency, input.records.length) }, lane));
      } finally {
        clearInterval(heartbeat);
      }
      // The retry finds every result recorded so far and asks the model only for the rest.
      if (systemic.length) throw systemic[0];
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      await raiseMark(deps.pool, at, input.records[input.records.length - 1].source.offset);
      return outcome;
    },
  };
}

export type ThroughputActivities = ReturnType<typeof createThroughputActivities>;
