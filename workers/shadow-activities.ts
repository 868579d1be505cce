// The activities of a shadow worker (`kta shadow`): the agents' own activities, where every one with a
// side effect is replaced by a stub that records what it would have done and answers like a success.
// Every activity needs a decision here: one without is a startup error, so an activity added later
// can never run for real in shadow mode because nobody thought about it.
import { Context } from '@temporalio/activity';
import type { Booking, Undo } from '../activities/booking/booking-api';
import type { RunDeadLetterInput } from '../activities/dead-letter';
import type { ModelCallResult } from '../activities/llm/gateway';
import type { PublishResultInput } from '../activities/output-topic';
import type { createAgentActivities } from './agent-activities';

export type AgentActivities = ReturnType<typeof createAgentActivities>['activities'];
type AnyActivity = (...args: never[]) => Promise<unknown>;

/** `keep`: the real activity runs (it only reads, or it is what the shadow run is for). `stub`: the answer it gives instead. */
export type ShadowDecision = { readonly keep: string } | { readonly stub: string; readonly answer: (arg: never) => unknown };

const booked = (kind: Booking['kind']) => (req: { idempotencyKey: string; amountCents?: number }): Booking =>
  ({ bookingId: `shadow-${kind}-${req.idempotencyKey}`, kind, status: kind === 'charge' ? 'charged' : 'reserved', amountCents: req.amountCents ?? 0 });
const undone = (kind: Undo['kind'], status: string) => (req: { originalKey: string }): Undo =>
  ({ bookingId: `shadow-${kind}-${req.originalKey}`, kind, status });

export const SHADOW_DECISIONS: Record<keyof AgentActivities, ShadowDecision> = {
  callModel: { keep: 'the model gateway is the point of a shadow run: the new prompt or model answers (its calls are recorded in llm_calls under the shadow workflow ID)' },
  loadClaimCheckedReview: { keep: 'reads the claim-checked value the bridge stored; writes nothing' },
  loadConversationHighWater: { keep: 'reads the conversation high-water marks; writes nothing' },
  upsertReviewTags: { stub: 'writes the review index (review_tags)', answer: () => ({ writes: 1 }) },
  reserveFlight: { stub: 'books a flight at the booking API and records the effect in PostgreSQL', answer: booked('flight') },
  reserveHotel: { stub: 'books a hotel at the booking API and records the effect in PostgreSQL', answer: booked('hotel') },
  chargeCard: { stub: 'charges a card at the booking API and records the effect in PostgreSQL', answer: booked('charge') },
  cancelFlight: { stub: 'cancels a booking at the booking API (a compensation)', answer: undone('flight', 'cancelled') },
  cancelHotel: { stub: 'cancels a booking at the booking API (a compensation)', answer: undone('hotel', 'cancelled') },
  refundCharge: { stub: 'refunds a charge at the booking API (a compensation)', answer: undone('charge', 'refunded') },
  publishResult: { stub: 'writes the outbox row the relay publishes to the output topic', answer: (input: PublishResultInput) => ({ outboxId: `shadow-${input.idempotencyKey}`, queued: true }) },
  appendConversationTurn: { stub: 'writes a conversation turn and the entity\'s high-water mark', answer: () => undefined },
  publishRunDeadLetter: {
    stub: 'publishes to the dead-letter topic and records it in PostgreSQL',
    answer: (input: RunDeadLetterInput) => ({ topic: input.deadLetterTopic, coordinates: `${input.source.topic}[${input.source.partition}]@${input.source.offset}` }),
  },
};

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

/** The agents' activities for a shadow worker; throws when an activity has no decision in SHADOW_DECISIONS. */
export function shadowActivities(real: AgentActivities, recorder: ShadowRecorder, decisions: Record<string, ShadowDecision | undefined> = SHADOW_DECISIONS): Record<string, AnyActivity> {
  const undecided = Object.keys(real).filter((name) => !decisions[name]);
  if (undecided.length) {
    throw new Error(`no shadow decision for activit${undecided.length === 1 ? 'y' : 'ies'} ${undecided.join(', ')}; add ${undecided.length === 1 ? 'it' : 'them'} to SHADOW_DECISIONS in workers/shadow-activities.ts (stub it when it has a side effect)`);
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
