import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { promptHash } from '../dev/llm-simulator/prompt-hash';
import { findTemporalCli, temporalCliEnv } from '../dev/stack/temporal-cli';
import type { EscalateSupportResult } from '../agents/support-escalation/workflow';
import type { SupportTicket } from '../agents/support-escalation/record';
import { supportAnswerPrompt } from '../agents/support-escalation/prompts';
import { decisionUpdate, type PendingReview } from '../workflows/review-messages';
import { runCommand, runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus } from './helpers/trips';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

// Long enough for two CLI processes to decide on a loaded machine, short enough to wait out.
const DEADLINE_MS = 30_000;
const CONFIDENCE = 0.3;

test('low-confidence answers wait for a human: kta review approves one, temporal workflow update edits one, a third takes the default at its deadline after a malformed decision was refused', { timeout: 240_000 }, async () => {
  const tickets: SupportTicket[] = ['approve', 'edit', 'deadline'].map((name) => ({
    ticketId: `T-${name}-${Date.now().toString(36)}`,
    customer: 'Grace',
    question: `My order for the ${name} case arrived broken; can I get a replacement?`,
  }));
  const drafts = tickets.map((t) => `Draft answer to ${t.ticketId}: we will send a replacement.`);
  const s = await createScenario('review', {
    workflowType: 'escalateSupport',
    // The model is unsure about every ticket: each answer's confidence is below the 0.75 threshold.
    simulatorFixtures: Object.fromEntries(tickets.map((t, i) => [promptHash(supportAnswerPrompt(t)), JSON.stringify({ answer: drafts[i], confidence: CONFIDENCE })])),
    workflowSettings: { review: { confidenceThreshold: 0.75, deadlineMs: DEADLINE_MS, defaultDecision: 'reject' } },
  });
  scenarios.push(s);
  await s.kafka.produce(s.topic, tickets.map((t) => ({ key: t.ticketId, value: JSON.stringify(t) })));
  s.startWorker();
  await s.startBridge();
  const client = await s.client();

  const awaiting = async () => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: `KafkaTopic = "${s.topic}" AND AgentStatus = "AwaitingReview"` })) ids.push(wf.workflowId);
    return ids;
  };
  await waitFor(awaiting, (ids) => ids.length === 3, { timeoutMs: 60_000, intervalMs: 500, message: 'three runs awaiting a review' });
  const listed = await runKta(['review', 'list', '--json'], s.env);
  assert.equal(listed.code, 0, listed.stderr);
  const pending = (JSON.parse(listed.stdout) as PendingReview[]).filter((p) => p.workflowId.includes(s.topic));
  assert.equal(pending.length, 3, 'kta review list shows the three runs awaiting a review');
  const idOf = (t: SupportTicket) => pending.find((p) => p.subject === `support ticket ${t.ticketId}`)!.workflowId;
  const [approveId, editId, deadlineId] = tickets.map(idOf);
  for (const [i, t] of tickets.entries()) {
    const p = pending.find((x) => x.workflowId === idOf(t))!;
    assert.equal(p.draft, drafts[i]);
    assert.equal(p.confidence, CONFIDENCE);
    assert.equal(await agentStatus(client, p.workflowId), 'AwaitingReview');
  }

  // 1. The project's CLI approves.
  const approved = await runKta(['review', 'approve', approveId, '--reviewer', 'alice', '--note', 'fine'], s.env);
  assert.equal(approved.code, 0, approved.stderr);
  assert.deepEqual((({ workflowId, action, reviewer }) => ({ workflowId, action, reviewer }))(JSON.parse(approved.stdout) as Record<string, unknown>), { workflowId: approveId, action: 'approve', reviewer: 'alice' });
  const approvedResult = (await client.workflow.getHandle(approveId).result()) as EscalateSupportResult;
  assert.deepEqual(
    { outcome: approvedResult.outcome, answer: approvedResult.answer, decidedBy: approvedResult.decidedBy, reviewer: approvedResult.reviewer },
    { outcome: 'approved', answer: drafts[0], decidedBy: 'human', reviewer: 'alice' },
  );
  const update = await acceptedUpdate(s, approveId);
  assert.deepEqual(update, { name: 'decision', input: { action: 'approve', reviewer: 'alice', note: 'fine' } }, 'the decision and its reviewer are in history');

  // 2. The Temporal CLI edits, with the same update.
  const temporal = findTemporalCli();
  assert.ok(temporal, 'the temporal CLI is on PATH or in the tools cache');
  const edit = { action: 'edit', reviewer: 'bob', answer: 'We are sorry: a replacement ships today, tracking number to follow.' };
  const edited = await runCommand(temporal, [
    'workflow', 'update', 'execute', '--address', s.stack.temporal.address, '--namespace', s.stack.temporal.namespace,
    '--workflow-id', editId, '--name', 'decision', '--input', JSON.stringify(edit),
  ], temporalCliEnv());
  assert.equal(edited.code, 0, edited.stderr);
  const editedResult = (await client.workflow.getHandle(editId).result()) as EscalateSupportResult;
  assert.deepEqual({ outcome: editedResult.outcome, answer: editedResult.answer, reviewer: editedResult.reviewer }, { outcome: 'edited', answer: edit.answer, reviewer: 'bob' });

  // 3. A malformed decision is refused by the validator; the run keeps waiting, then its deadline passes.
  const handle = client.workflow.getHandle(deadlineId);
  const refused = await handle.executeUpdate(decisionUpdate, { args: [{ action: 'maybe', reviewer: 'eve' } as never] }).then(() => assert.fail('the update must be refused'), (err: unknown) => err);
  assert.ok(refused instanceof WorkflowUpdateFailedError, 'the update failed');
  assert.ok(refused.cause instanceof ApplicationFailure);
  assert.equal(refused.cause.type, 'InvalidReviewDecisionError');
  assert.match(refused.cause.message, new RegExp(`Review decision for workflow ${deadlineId} refused: "action" must be one of approve, edit, reject \\(got "maybe"\\)`));
  const afterRefusal = await handle.describe();
  assert.equal(afterRefusal.status.name, 'RUNNING', 'the run keeps waiting');
  assert.equal(await agentStatus(client, deadlineId), 'AwaitingReview');
  assert.equal(await acceptedUpdate(s, deadlineId), undefined, 'a refused decision never enters history');

  const deadlineResult = (await handle.result()) as EscalateSupportResult;
  assert.deepEqual(
    { outcome: deadlineResult.outcome, answer: deadlineResult.answer, decidedBy: deadlineResult.decidedBy, reviewer: deadlineResult.reviewer },
    { outcome: 'rejected', answer: null, decidedBy: 'deadline', reviewer: 'deadline' },
  );
  const desc = await handle.describe();
  assert.ok(desc.closeTime && desc.startTime && desc.closeTime.getTime() - desc.startTime.getTime() >= DEADLINE_MS, 'it waited for the whole deadline');
  assert.equal((desc.memo as { review?: { decidedBy?: string } }).review?.decidedBy, 'deadline');
  for (const id of [approveId, editId, deadlineId]) assert.equal(await agentStatus(client, id), 'Completed');

  assert.equal(s.simulator.stats().calls, 3, 'one model call per ticket');
  for (const t of tickets) {
    assert.ok(s.simulator.requests().some((r) => (r.messages as { content: string }[]).some((m) => m.content.includes(t.question))), `the model received the question of ${t.ticketId}`);
  }
});

/** The first accepted update of a run, from its history. */
async function acceptedUpdate(s: Scenario, workflowId: string): Promise<{ name: string; input: unknown } | undefined> {
  const client = await s.client();
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  for (const e of history.events ?? []) {
    const req = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (req) return { name: req.name ?? '', input: req.args?.payloads?.[0] ? converter.fromPayload(req.args.payloads[0]) : undefined };
  }
  return undefined;
}
