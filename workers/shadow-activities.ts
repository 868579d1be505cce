// The activities of a shadow worker (`kta shadow`): the agents' own activities, where every one with a
// side effect is replaced by a stub that records what it would have done and answers like a success.
// Every activity needs a decision here: one without is a startup error, so an activity added later
// can never run for real in shadow mode because nobody thought about it.
import { Context } from '@temporalio/activity';
import type { AgentDefinition, ShadowDecision } from '../agents/agent-definition';
import { AGENTS } from '../agents/registry';
import type { RunDeadLetterInput } from '../activities/dead-letter';
import type { ModelCallResult } from '../activities/llm/gateway';
import type { PublishResultInput } from '../activities/output-topic';
import { formatCoordinates } from '../core/kafka-record';
import type { SharedActivities } from './agent-activities';

export type { ShadowDecision };
type AnyActivity = (...args: never[]) => Promise<unknown>;

/** The shared activities' decisions; each agent's own are in its agent.ts (`shadow`). */
export const SHARED_SHADOW_DECISIONS: Record<keyof SharedActivities, ShadowDecision> = {
  callModel: { keep: 'the model gateway is the point of a shadow run: the new prompt or model answers (its calls are recorded in llm_calls under the shadow workflow ID)' },
  publishResult: { stub: 'writes the outbox row the relay publishes to the output topic', answer: (input: PublishResultInput) => ({ outboxId: `shadow-${input.idempotencyKey}`, queued: true }) },
  publishRunDeadLetter: {
    stub: 'publishes to the dead-letter topic and records it in PostgreSQL',
    answer: (input: RunDeadLetterInput) => ({ topic: input.deadLetterTopic, coordinates: formatCoordinates(input.source) }),
  },
  loadPartitionMark: { keep: 'reads a throughput partition\'s high-water mark; writes nothing' },
  processThroughputBatch: {
    stub: 'asks the model and writes throughput results, effects and dead letters for a whole batch (shadow runs are per record)',
    answer: () => ({ done: 0, resumed: 0, deadLettered: 0, modelCalls: 0 }),
  },
};

/** Every activity's decision: the shared ones and every registered agent's. */
export const shadowDecisions = (agents: readonly AgentDefinition[] = AGENTS): Record<string, ShadowDecision> =>
  Object.assign({}, SHARED_SHADOW_DECISIONS, ...agents.map((a) => a.shadow as Record<string, ShadowDecision>));

/** What one shadow run did: the effects its stubs absorbed and its real model calls. */
export interface ShadowRecording {
  readonly effects: { readonly activity: string; readonly args: unknown[] }[];
  modelCalls: number;
  tokens: number;
}

export class ShadowRecorder {
  private readonly runs = new Map<string, ShadowRecording>();

  of(workflowId: string): ShadowRecording {
    let r = this.runs.get(workflowId);
    if (!r) this.runs.set(workflowId, (r = { effects: [], modelCalls: 0, tokens: 0 }));
    return r;
  }
}

const currentWorkflowId = () => Context.current().info.workflowExecution?.workflowId ?? '(no workflow)';

/** The agents' activities for a shadow worker; throws when an activity has no decision. */
export function shadowActivities(real: Record<string, AnyActivity>, recorder: ShadowRecorder, decisions: Record<string, ShadowDecision | undefined> = shadowDecisions()): Record<string, AnyActivity> {
  const undecided = Object.keys(real).filter((name) => !decisions[name]);
  if (undecided.length) {
    throw new Error(`no shadow decision for activit${undecided.length === 1 ? 'y' : 'ies'} ${undecided.join(', ')}; add ${undecided.length === 1 ? 'it' : 'them'} to the agent's shadow decisions in agents/<name>/agent.ts (stub it when it has a side effect)`);
  }
  const out: Record<string, AnyActivity> = {};
  for (const [name, fn] of Object.entries(real) as [string, AnyActivity][]) {
    const decision = decisions[name]!;
    if ('stub' in decision) {
      out[name] = async (...args: never[]) => {
        recorder.of(currentWorkflowId()).effects.push({ activity: name, args });
        return decision.answer(args[0]);
      };
    } else if (name === 'callModel') {
      out[name] = async (...args: never[]) => {
        const result = (await fn(...args)) as ModelCallResult;
        const rec = recorder.of(currentWorkflowId());
        rec.modelCalls += 1;
        rec.tokens += result.usage.promptTokens + result.usage.completionTokens;
        return result;
      };
    } else {
      out[name] = fn;
    }
  }
  return out;
}
