// Conversation agent: records with the same key go, in offset order, to one long-running workflow per
// key (the bridge signals it with signal-with-start). It de-duplicates by offset against a high-water
// mark that survives continue-as-new (carried in the arguments) and the entity closing when idle
// (saved in PostgreSQL with each turn, loaded when a new run starts), keeps the last turns as context
// for the model, and continues as new before its history grows large.
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { ConversationActivities } from './activities';
import { askModel, failureType } from '../../workflows/ask-model';
import type { RecordSource, RunSettings } from '../../core/run-input';
import type { ConversationMessage } from './record';
import { FailureType } from '../../core/failure-types';
import { formatCoordinates } from '../../core/kafka-record';
import { deadLetterRun } from '../../workflows/dead-letter-run';

export interface ConversationRecord {
  readonly value: ConversationMessage;
  readonly source: RecordSource;
}

export interface ConversationState {
  readonly entityId: string;
  readonly settings: RunSettings;
  /** Offsets up to this one (per partition) were processed; undefined: load it from the store. */
  readonly highWater?: Record<string, string>;
  readonly context?: { role: 'user' | 'assistant'; content: string }[];
  readonly pending?: ConversationRecord[];
  /** Continue as new after this many turns in one run (keeps history small). */
  readonly maxTurnsPerRun?: number;
  /** Close when no record arrived for this long (the high-water mark is already in the store). */
  readonly idleMs?: number;
  /** The route's dead-letter topic (the bridge passes it); default `<topic>.dlq`, as the bridge's deadLetterTopicFor. */
  readonly deadLetterTopic?: string;
}

// Signal and query names are part of the bridge's contract: change them in both places or not at all.
export const recordSignal = defineSignal<[ConversationRecord]>('record');
export const processedQuery = defineQuery<string[]>('processed');

const CONTEXT_TURNS = 6;

export async function conversationAgent(state: ConversationState): Promise<{ processed: string[] }> {
  const acts = proxyActivities<ConversationActivities>({ startToCloseTimeout: state.settings.effectTimeoutMs, retry: { initialInterval: '1s' } });
  const queue: ConversationRecord[] = [...(state.pending ?? [])];
  const processed: string[] = [];
  setHandler(recordSignal, (r) => { queue.push(r); });
  setHandler(processedQuery, () => processed);
  const highWater: Record<string, string> = state.highWater ?? (await acts.loadConversationHighWater({ entityId: state.entityId }));
  let context = state.context ?? [];
  const maxTurns = state.maxTurnsPerRun ?? 100;
  let turns = 0;

  for (;;) {
    const arrived = await condition(() => queue.length > 0, state.idleMs ?? 10 * 60_000);
    if (!arrived) break;
    queue.sort((a, b) => (BigInt(a.source.offset) < BigInt(b.source.offset) ? -1 : 1));
    const next = queue.shift()!;
    const p = String(next.source.partition);
    // A redelivered or replayed record (offset at or below the mark) already had its turn.
    if (highWater[p] !== undefined && BigInt(next.source.offset) <= BigInt(highWater[p])) continue;
    const messages = [
      { role: 'system' as const, content: 'You are a support agent in an ongoing conversation. Reply briefly and consistently with what was said before.' },
      ...context,
      { role: 'user' as const, content: next.value.text },
    ];
    const answer = await askModel('conversation_reply', messages, state.settings, `Reply to ${formatCoordinates(next.source)}`);
    try {
      await acts.appendConversationTurn({
        idempotencyKey: `${state.entityId}/offset-${p}-${next.source.offset}`,
        entityId: state.entityId,
        partition: next.source.partition,
        offset: next.source.offset,
        message: next.value.text,
        reply: answer.value.reply,
      });
    } catch (err) {
      if (failureType(err) !== FailureType.SinkData) throw err;
      // The store refused this turn for good (a NUL in its text): it becomes a HUMAN_REVIEW dead letter
      // and the conversation goes on without it, instead of the whole entity failing.
      const deadLetterTopic = state.deadLetterTopic ?? `${next.source.topic}.dlq`;
      await deadLetterRun({ value: next.value, source: next.source, settings: state.settings, deadLetterTopic }, err);
      highWater[p] = next.source.offset;
      continue;
    }
    highWater[p] = next.source.offset;
    processed.push(next.source.offset);
    context = [...context, { role: 'user' as const, content: next.value.text }, { role: 'assistant' as const, content: answer.value.reply }].slice(-CONTEXT_TURNS * 2);
    setCurrentDetails(`${state.entityId}: ${processed.length} turns in this run; high-water ${JSON.stringify(highWater)}`);
    if (++turns >= maxTurns || workflowInfo().continueAsNewSuggested) {
      // Signals not yet taken ride along, so nothing received is lost across the boundary.
      await continueAsNew<typeof conversationAgent>({ ...state, highWater, context, pending: queue.splice(0) });
    }
  }
  return { processed };
}
