import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { OutboxRelay } from '../activities/sinks/outbox-relay';
import { enqueueOutbox, IDEMPOTENCY_KEY_HEADER, outboxRows } from '../activities/sinks/outbox';
import { OutboxRelayFencedError } from '../errors';
import { createLogger } from '../lib/logger';
import { startService, type ServiceProcess } from '../lib/service-process';
import type { EscalateSupportResult } from '../agents/support-escalation/workflow';
import { readTopic } from './helpers/read-topic';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  await Promise.allSettled(cleanups.map((c) => c()));
  await Promise.all(scenarios.map((s) => s.close()));
});

test('a consumer of the output topic sees exactly one record for a step when the activity fails after writing its outbox row and the relay dies between the ack and the mark', { timeout: 240_000 }, async () => {
  const outputTopic = uniqueName('out-answers');
  const s = await createScenario('outbox', {
    workflowType: 'escalateSupport',
    // Threshold 0: every answer goes out without a review, straight to the output topic.
    workflowSettings: { outputTopic, review: { confidenceThreshold: 0, deadlineMs: 60_000, defaultDecision: 'reject' } },
  });
  scenarios.push(s);
  await s.kafka.createTopic(outputTopic, 2);
  const workerMarker = join(s.logDir, 'worker-fault');
  const relayMarker = join(s.logDir, 'relay-fault');
  const tickets = [0, 1].map((i) => ({ ticketId: `${s.topic}-ticket${i}`, question: `Where is my parcel number ${i}?` }));
  await s.kafka.produce(s.topic, [{ key: tickets[0].ticketId, value: JSON.stringify(tickets[0]) }]);

  // The output activity writes its outbox row, then its attempt fails; Temporal retries it.
  s.startWorker({ KTA_FAULT: 'worker:after-outbox-write', KTA_FAULT_MARKER: workerMarker });
  await s.startBridge();
  const [run] = await s.waitForCompletedRuns(1);
  assert.ok(existsSync(workerMarker) && readFileSync(workerMarker, 'utf8').includes('worker:after-outbox-write'), 'the activity fault fired');
  const client = await s.client();
  const history = await client.workflow.getHandle(run.workflowId).fetchHistory();
  const publishAttempts = (history.events ?? []).flatMap((e) => e.activityTaskStartedEventAttributes?.attempt ?? []);
  assert.ok(publishAttempts.includes(2), `the publish activity ran a second attempt (attempts seen: ${publishAttempts.join(', ')})`);
  assert.equal(((await client.workflow.getHandle(run.workflowId).result()) as EscalateSupportResult).published, true);
  const stepKey = `${run.workflowId}/publish-answer`;
  let rows = await outboxRows(s.pool, { topic: outputTopic });
  assert.deepEqual(rows.map((r) => r.idempotencyKey), [stepKey], 'one outbox row for the step despite two attempts');

  // The relay publishes it and is killed after the broker's ack, before marking it sent.
  const transactionalId = uniqueName('relay');
  const relayEnv = { ...s.env, RELAY_TOPICS: outputTopic, RELAY_TRANSACTIONAL_ID: transactionalId, RELAY_POLL_INTERVAL_MS: '100' };
  const doomed: ServiceProcess = startService('relay', { ...relayEnv, KTA_FAULT: 'relay:after-ack-before-mark', KTA_FAULT_MARKER: relayMarker }, s.logDir, 'relay-1');
  cleanups.push(() => doomed.stop('SIGKILL'));
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', `the relay died by SIGKILL (log: ${doomed.log().slice(-500)})`);
  assert.ok(existsSync(relayMarker) && readFileSync(relayMarker, 'utf8').includes('relay:after-ack-before-mark'), 'the relay fault fired');
  rows = await outboxRows(s.pool, { topic: outputTopic });
  assert.equal(rows[0].sentAt, null, 'the row was not marked sent');
  // The commit markers reach the partitions just after the ack: wait until the record is readable.
  await waitFor(() => readTopic(s.stack.kafka.brokers, outputTopic), (r) => r.length === 1, { message: 'the acknowledged record is in the topic' });

  // A new relay (in process) recovers from the topic's tail instead of publishing again.
  const kafka = new Kafka({ clientId: 'kta-test-relay', brokers: s.stack.kafka.brokers, logLevel: logLevel.NOTHING });
  const relay = new OutboxRelay({ pool: s.pool, kafka, transactionalId, topics: [outputTopic], batchSize: 10, pollIntervalMs: 100, log: createLogger('relay-test', 'warn') });
  cleanups.push(() => relay.stop());
  await relay.start();
  assert.equal(relay.stats().recovered, 1, 'the acknowledged record was found in the tail and marked sent');
  rows = await outboxRows(s.pool, { topic: outputTopic });
  assert.notEqual(rows[0].sentAt, null);

  // It keeps publishing what comes next.
  await s.kafka.produce(s.topic, [{ key: tickets[1].ticketId, value: JSON.stringify(tickets[1]) }]);
  await s.waitForCompletedRuns(2);
  await waitFor(() => outboxRows(s.pool, { topic: outputTopic }), (r) => r.length === 2 && r.every((x) => x.sentAt !== null), { message: 'the second answer was published and marked' });

  // As above, the second transaction's commit markers may trail the mark: wait until both are readable.
  const records = await waitFor(() => readTopic(s.stack.kafka.brokers, outputTopic), (r) => r.length >= 2, { message: 'both answers readable (commit markers written)' });
  const forStep = records.filter((r) => r.headers[IDEMPOTENCY_KEY_HEADER] === stepKey);
  assert.equal(forStep.length, 1, `exactly one record for ${stepKey}; the topic holds ${JSON.stringify(records.map((r) => r.headers[IDEMPOTENCY_KEY_HEADER]))}`);
  assert.equal((JSON.parse(forStep[0].value) as { ticketId: string }).ticketId, tickets[0].ticketId);
  assert.equal(forStep[0].key, tickets[0].ticketId);
  assert.equal(records.length, 2, 'one record per step, two steps');
  assert.equal(relay.stats().published, 1, 'the new relay published only the second answer');
});

test('a zombie relay fenced by a newer one with the same transactional ID publishes nothing a consumer can see', { timeout: 120_000 }, async () => {
  const s = await createScenario('fence');
  scenarios.push(s);
  const outputTopic = uniqueName('out-fence');
  await s.kafka.createTopic(outputTopic, 1);
  const transactionalId = uniqueName('relay');
  const kafka = new Kafka({ clientId: 'kta-test-relay', brokers: s.stack.kafka.brokers, logLevel: logLevel.NOTHING });
  const relay = (name: string) => new OutboxRelay({ pool: s.pool, kafka, transactionalId, topics: [outputTopic], batchSize: 10, pollIntervalMs: 100, log: createLogger(name, 'silent') });
  const zombie = relay('zombie');
  cleanups.push(() => zombie.stop());
  await zombie.start();
  const successor = relay('successor');
  await successor.start(); // its producer initialisation bumps the epoch: the zombie is fenced
  await successor.stop(); // leave the row to the zombie alone

  const stepKey = `${outputTopic}-0-0/publish-answer`;
  await enqueueOutbox(s.pool, { idempotencyKey: stepKey, topic: outputTopic, key: 'k', value: '{}' });
  const err = await zombie.done().then(() => assert.fail('the zombie must stop'), (e: unknown) => e);
  assert.ok(err instanceof OutboxRelayFencedError, `the zombie learnt it was fenced (${String(err)})`);
  assert.match(err.message, new RegExp(`Outbox relay ${transactionalId} was fenced by a newer relay`));
  assert.equal((await outboxRows(s.pool, { topic: outputTopic }))[0].sentAt, null, 'the zombie marked nothing sent');
  assert.deepEqual(await readTopic(s.stack.kafka.brokers, outputTopic), [], 'a read_committed consumer sees nothing from the zombie');
  assert.equal(zombie.stats().published, 0);
});
