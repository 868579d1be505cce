// One record of a throughput batch, in the order that keeps the default mode's promises:
// 1. a recorded result stands: a record whose answer is in throughput_results is never sent to the
//    model again (a crash mid-batch, a retried activity, a redelivered record);
// 2. else the model is asked through the gateway (re-asked on invalid output, as workflows/ask-model.ts
//    does) and its answer is written to throughput_results BEFORE the effect step;
// 3. the effect (the agent's upsert by key) and the mark `done` commit in one transaction, so the
//    effect is applied once per record, whatever crashes when.
// A failure that is the record's own (invalid output past the bound, a permanent model error, a value
// the sink refuses, a topic recreated under the run) makes the record a dead letter, in the project's
// format, and the batch goes on; a systemic failure (model or PostgreSQL away) is thrown to retry.
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { z } from 'zod';
import type { ThroughputHooks } from '../../agents/agent-definition';
import { isClaimCheck } from '../../core/claim-check';
import { FailureType, HUMAN_REVIEW_FAILURE_TYPES, NON_RETRYABLE_MODEL_FAILURES } from '../../core/failure-types';
import type { RunSettings } from '../../core/run-input';
import type { ThroughputRecord } from '../../core/throughput';
import { faultPoint } from '../../lib/fault';
import type { DeadLetterActivities, RunDeadLetterInput } from '../dead-letter';
import type { GatewayActivities, ModelCallResult } from '../llm/gateway';
import type { ChatMessage } from '../llm/provider';
import { loadClaimCheck } from '../sinks/claim-checks';
import { lockRecorded, markDeadLettered, markDone, recordAnswer, type PartitionKey, type ResultRow } from './results-table';

/** Re-asks move away from the temperature that produced invalid output (as workflows/ask-model.ts). */
const REASK_TEMPERATURES = [undefined, 0.2, 0.7, 1.0];

export interface RecordWorkDeps {
  readonly pool: Pool;
  readonly hooks: ThroughputHooks;
  readonly recordSchema: z.ZodType;
  readonly callModel: GatewayActivities['callModel'];
  readonly publishRunDeadLetter: DeadLetterActivities['publishRunDeadLetter'];
  readonly settings: RunSettings;
  readonly at: PartitionKey;
  readonly workflowId: string;
  readonly deadLetterTopic: string;
}

export type RecordEnd = { end: 'done' | 'resumed' | 'dead-lettered'; modelCalls: number };

const typeOf = (err: unknown) => (err instanceof ApplicationFailure ? err.type ?? 'ApplicationFailure' : (err as Error)?.name ?? 'Error');
const isRecordsOwn = (err: unknown) => (err instanceof ApplicationFailure && err.nonRetryable) || NON_RETRYABLE_MODEL_FAILURES.has(typeOf(err)) || typeOf(err) === FailureType.SinkData;

export async function workRecord(deps: RecordWorkDeps, record: ThroughputRecord, existing: ResultRow | undefined): Promise<RecordEnd> {
  const { source } = record;
  const key = { offset: source.offset, recordHash: source.recordHash, workflowId: deps.workflowId };
  const deadLetter = async (cls: RunDeadLetterInput['class'], reasonCode: string, reason: string, mark = true): Promise<RecordEnd> => {
    await deps.publishRunDeadLetter({ class: cls, reasonCode, reason, source, deadLetterTopic: deps.deadLetterTopic, value: record.value });
    if (mark) await markDeadLettered(deps.pool, deps.at, key);
    return { end: 'dead-lettered', modelCalls };
  };
  let modelCalls = 0;
  if (existing && existing.recordHash !== source.recordHash) {
    // Another record already holds these coordinates (the topic was recreated): loud, never a silent skip.
    return deadLetter('COLLISION', 'HASH_MISMATCH', `offset ${source.offset} already has a result for a record with hash ${existing.recordHash}; this record's is ${source.recordHash} (topic recreated or offsets reset)`, false);
  }
  if (existing && existing.status !== 'recorded') return { end: 'resumed', modelCalls };

  let row = existing;
  let value: unknown;
  try {
    value = await resolveValue(deps, record);
    if (!row) {
      const answer = await ask(deps, deps.hooks.prompt(value), () => modelCalls++);
      row = await recordAnswer(deps.pool, deps.at, { ...key, answer: answer.value, model: answer.model });
      faultPoint('worker:throughput-after-result');
    }
  } catch (err) {
    if (!isRecordsOwn(err)) throw err;
    const type = typeOf(err);
    return deadLetter(HUMAN_REVIEW_FAILURE_TYPES.has(type) ? 'HUMAN_REVIEW' : 'REPROCESS', type, (err as Error).message);
  }
  try {
    await applyEffect(deps, record, value, row);
  } catch (err) {
    if (typeOf(err) !== FailureType.SinkData) throw err;
    return deadLetter('HUMAN_REVIEW', FailureType.SinkData, (err as Error).message);
  }
  return { end: existing ? 'resumed' : 'done', modelCalls };
}

async function resolveValue(deps: RecordWorkDeps, record: ThroughputRecord): Promise<unknown> {
  if (!isClaimCheck(record.value)) return record.value;
  const bytes = await loadClaimCheck(deps.pool, record.value);
  try {
    return deps.recordSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (err) {
    // The bridge checked the value before it stored it; bytes that no longer parse are this record's fault.
    throw ApplicationFailure.nonRetryable(`the claim-checked value of offset ${record.source.offset} does not parse: ${(err as Error).message}`, 'InvalidClaimCheckedValue');
  }
}

async function ask(deps: RecordWorkDeps, messages: ChatMessage[], counted: () => void): Promise<ModelCallResult> {
  let conversation = messages;
  for (let attempt = 1; ; attempt++) {
    counted();
    try {
      return await deps.callModel({
        task: deps.hooks.task,
        messages: conversation,
        output: deps.settings.modelOutput,
        attempt,
        temperature: REASK_TEMPERATURES[Math.min(attempt - 1, REASK_TEMPERATURES.length - 1)],
      });
    } catch (err) {
      if (typeOf(err) !== FailureType.ModelOutputInvalid || attempt >= deps.settings.maxModelAttempts) throw err;
      const problems = (err as ApplicationFailure).details?.[0] as { problems?: string } | undefined;
      conversation = [...messages, { role: 'user', content: `Your previous answer did not match the required schema (${problems?.problems ?? 'invalid'}). Answer again with valid JSON only.` }];
    }
  }
}

async function applyEffect(deps: RecordWorkDeps, record: ThroughputRecord, value: unknown, row: ResultRow): Promise<void> {
  const { source } = record;
  const db = await deps.pool.connect();
  try {
    await db.query('BEGIN');
    if (await lockRecorded(db, deps.at, source.offset)) {
      await deps.hooks.effect(db, {
        value,
        answer: row.answer,
        model: row.model ?? '',
        source,
        // The idempotency key names the partition run's scope and the record: one key per record.
        idempotencyKey: `${deps.workflowId}/${source.offset}/effect`,
        workflowId: deps.workflowId,
      });
      await markDone(db, deps.at, source.offset);
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    db.release();
  }
}
