import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { promptHash } from '../dev/llm-simulator/prompt-hash';
import { freePort } from '../dev/stack/ports';
import type { SupportTicket } from '../agents/support-escalation/record';
import { supportAnswerPrompt } from '../agents/support-escalation/prompts';
import { runKta, type CommandResult } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus } from './helpers/trips';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** A message for a person: at most two lines, no stack frames, no client library's class names. */
function assertShortMessage(result: CommandResult, what: RegExp) {
  const text = result.stderr.trim();
  assert.match(text, what, text);
  assert.ok(text.split('\n').length <= 2, `one or two lines: ${text}`);
  assert.doesNotMatch(result.stderr, /^ {4}at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /KafkaJS\w+|WorkflowNotFoundError|TypeError/, 'no library class names');
}

test('kta bridge with a routed topic that does not exist says which topic, and how to create it', { timeout: 120_000 }, async () => {
  const s = await createScenario('msg-topic');
  scenarios.push(s);
  const missing = uniqueName('t-msg-missing');
  const result = await runKta(['bridge'], { ...s.env, ROUTES: JSON.stringify([{ topic: missing, workflowType: 'tagReview', taskQueue: s.taskQueue }]) });
  assert.equal(result.code, 1);
  assertShortMessage(result, new RegExp(`^Topic ${missing} \\(routed to tagReview\\) does not exist on ${s.stack.kafka.brokers[0]}; create it \\(npx kta topics create ${missing} --partitions 1\\) or correct the topic in ROUTES$`));
});

test('kta bridge with KAFKA_BROKERS at a closed port names KAFKA_BROKERS', { timeout: 120_000 }, async () => {
  const s = await createScenario('msg-brokers');
  scenarios.push(s);
  const closed = `127.0.0.1:${await freePort()}`;
  const result = await runKta(['bridge'], { ...s.env, KAFKA_BROKERS: closed });
  assert.equal(result.code, 1);
  assertShortMessage(result, new RegExp(`^Kafka at ${closed} is not reachable; start Kafka \\(npx kta stack up\\) or set KAFKA_BROKERS to host:port of reachable brokers$`));
});

test('kta review show of an unknown run says the run is not found, naming it and the namespace', { timeout: 60_000 }, async () => {
  const s = await createScenario('msg-show');
  scenarios.push(s);
  const unknown = uniqueName('no-such-run');
  const shown = await runKta(['review', 'show', unknown], s.env);
  assert.equal(shown.code, 1);
  assertShortMessage(shown, new RegExp(`^Workflow ${unknown} was not found in namespace ${s.stack.temporal.namespace}; check the ID: \`kta review list\` shows the runs awaiting a review$`));
});

test('kta review approve of a run already decided says it is no longer awaiting a review', { timeout: 180_000 }, async () => {
  const ticket: SupportTicket = { ticketId: `T-msg-${Date.now().toString(36)}`, customer: 'Ada', question: 'My parcel never came; can you resend it?' };
  const s = await createScenario('msg-review', {
    workflowType: 'escalateSupport',
    simulatorFixtures: { [promptHash(supportAnswerPrompt(ticket))]: JSON.stringify({ answer: 'We will resend it today.', confidence: 0.2 }) },
    workflowSettings: { review: { confidenceThreshold: 0.75, deadlineMs: 120_000, defaultDecision: 'reject' } },
  });
  scenarios.push(s);
  await s.kafka.produce(s.topic, [{ key: ticket.ticketId, value: JSON.stringify(ticket) }]);
  s.startWorker();
  await s.startBridge();
  const workflowId = `${s.topic}-0-0`;
  const client = await s.client();
  await waitFor(() => agentStatus(client, workflowId), (v) => v === 'AwaitingReview', { timeoutMs: 90_000, message: `${workflowId} awaits a review (logs in ${s.logDir})` });
  const first = await runKta(['review', 'approve', workflowId, '--reviewer', 'ada'], s.env);
  assert.equal(first.code, 0, first.stderr);
  await client.workflow.getHandle(workflowId).result();

  const again = await runKta(['review', 'approve', workflowId, '--reviewer', 'ada'], s.env);
  assert.equal(again.code, 1);
  assertShortMessage(again, new RegExp(`^Workflow ${workflowId} is not awaiting a review: it is COMPLETED \\(decided already, or its deadline passed\\); \`kta review list\` shows the runs that are$`));
});

test('kta simulator --help lists its flags and exits 0; an unknown flag is one line pointing at --help', { timeout: 60_000 }, async () => {
  const help = await runKta(['simulator', '--help'], {});
  assert.equal(help.code, 0, help.stderr);
  assert.equal(help.stderr, '');
  assert.match(help.stdout, /^Usage: kta simulator \[flags\]$/m);
  assert.match(help.stdout, /--faults <value> +LLM_SIMULATOR_FAULTS/);
  const unknown = await runKta(['simulator', '--no-such-flag'], {});
  assert.equal(unknown.code, 1);
  assertShortMessage(unknown, /^LLM simulator: Unknown option '--no-such-flag'; .*`kta simulator --help` lists them$/);
});
