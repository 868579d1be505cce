// A record whose dead letter is hard to write (a null header value, a 0x00 byte, a value PostgreSQL
// refuses) must still be dead-lettered exactly once, with a reason that quotes none of its bytes,
// and must not stall the records after it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTopic } from './helpers/read-topic';
import type { DeadLetterRecord } from './helpers/dead-letters';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** Every record bad on purpose carries this word; no reason, audit row or log line may repeat it. */
const SECRET = 'PERSONAL-DATA';
const CONTROL = /[\u0000-\u001f\u007f]/;

const goodRecord = (s: Scenario, n: number) => ({ key: `good-${n}`, value: JSON.stringify({ reviewId: `${s.topic}-g${n}`, text: `good review ${n}` }) });

/**
 * Produces the messages; a header value may be null (a header with no value, which Java producers
 * send and kafkajs delivers as null). kafkajs writes a null header correctly (length -1) but first
 * sizes it with Buffer.byteLength(null), which throws; during this one send the sizing counts null as
 * 0 bytes, the figure its encoder ignores for a null value anyway. The bytes on the wire are Kafka's own.
 */
async function produce(s: Scenario, messages: { key: string; value: string | Buffer; headers?: Record<string, string | null> }[]) {
  const byteLength = Buffer.byteLength;
  Buffer.byteLength = ((value: Parameters<typeof byteLength>[0], encoding?: BufferEncoding) => (value === null ? 0 : byteLength(value, encoding))) as typeof byteLength;
  try {
    await s.kafka.produce(s.topic, messages as { key: string; value: string | Buffer; headers?: Record<string, string> }[]);
  } finally {
    Buffer.byteLength = byteLength;
  }
}

/** Waits until the group's commit reaches the end of the topic: every record was acknowledged. */
async function committedToEnd(s: Scenario, end: number) {
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === end, {
    timeoutMs: 45_000,
    message: `the committed offset of ${s.topic}[0] reaches the end (${end}): no record stalls the partition (bridge log in ${s.logDir})`,
  });
}

/** The dead letters on the DLQ topic, by the offset of their original record (copies included). */
async function deadLettersByOffset(s: Scenario) {
  const letters = (await readTopic(s.stack.kafka.brokers, `${s.topic}.dlq`)).map((r) => JSON.parse(r.value) as DeadLetterRecord);
  const byOffset = new Map<string, DeadLetterRecord[]>();
  for (const d of letters) byOffset.set(d.original.offset, [...(byOffset.get(d.original.offset) ?? []), d]);
  return byOffset;
}

async function auditRows(s: Scenario) {
  const { rows } = await s.pool.query<{ offset: string; class: string; reason_code: string; reason: string }>(
    'SELECT "offset"::text AS "offset", class, reason_code, reason FROM dead_letters WHERE topic = $1 ORDER BY "offset"',
    [s.topic],
  );
  return rows;
}

test('a record with a null header value, a JSON value with a 0x00 byte that fails the schema, and a non-JSON value with a 0x00 byte are each dead-lettered once with a reason that quotes none of their bytes, and the records after them start', { timeout: 120_000 }, async () => {
  const s = await createScenario('dlrobust');
  scenarios.push(s);
  await produce(s, [
    goodRecord(s, 0),
    { key: 'bad-null-header', value: JSON.stringify({ reviewId: SECRET }), headers: { 'trace-id': null, kept: 'yes' } },
    { key: 'bad-nul-schema', value: `{"reviewId":"${SECRET}\\u0000","text":5}` },
    { key: 'bad-nul-not-json', value: Buffer.from(`\u0000${SECRET} is not JSON`) },
    goodRecord(s, 1),
    goodRecord(s, 2),
  ]);
  s.startWorker();
  const bridge = await s.startBridge();

  await committedToEnd(s, 6);
  const byOffset = await deadLettersByOffset(s);
  assert.deepEqual([...byOffset.keys()].sort(), ['1', '2', '3'], 'only the three bad records were dead-lettered');
  for (const [offset, copies] of byOffset) assert.equal(copies.length, 1, `record @${offset} was dead-lettered exactly once, not once per retry`);
  const [nullHeader, nulSchema, nulNotJson] = ['1', '2', '3'].map((o) => byOffset.get(o)![0]);
  assert.deepEqual([nullHeader.reasonCode, nulSchema.reasonCode, nulNotJson.reasonCode], ['SCHEMA', 'SCHEMA', 'NOT_JSON']);
  assert.deepEqual(nullHeader.original.headers, { 'trace-id': null, kept: Buffer.from('yes').toString('base64') }, 'the null header travels as null');
  assert.equal(nullHeader.reason, 'the value does not match the tagReview input: text: Invalid input: expected string, received undefined');
  assert.equal(nulSchema.reason, 'the value does not match the tagReview input: text: Invalid input: expected string, received number');
  assert.equal(nulNotJson.reason, 'the value is not JSON: an unexpected character U+0000');
  assert.equal(Buffer.from(nulNotJson.original.value!, 'base64').toString('utf8'), `\u0000${SECRET} is not JSON`, 'the dead letter still carries the whole value');

  const audit = await auditRows(s);
  assert.deepEqual(audit.map((r) => [r.offset, r.class, r.reason_code]), [['1', 'INVALID_INPUT', 'SCHEMA'], ['2', 'INVALID_INPUT', 'SCHEMA'], ['3', 'INVALID_INPUT', 'NOT_JSON']], 'one audit row per bad record');
  for (const text of [...audit.map((r) => r.reason), ...[...byOffset.values()].map(([d]) => d.reason)]) {
    assert.ok(!text.includes(SECRET) && !CONTROL.test(text), `the reason quotes no record bytes: ${JSON.stringify(text)}`);
  }
  await s.waitForCompletedRuns(3, 60_000);
  assert.ok(!bridge.log().includes(SECRET), 'the bridge log quotes no record bytes');
  assert.equal((await bridge.stats()).deadLetters, 3);
});

test('a record whose business key PostgreSQL refuses (a 0x00 byte) is dead-lettered as REFUSED instead of retried forever, and the records after it start', { timeout: 120_000 }, async () => {
  const s = await createScenario('dlrefused');
  scenarios.push(s);
  const [route] = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  await produce(s, [
    { key: 'bad-key', value: `{"reviewId":"${SECRET}\\u0000","text":"a fine review"}` },
    goodRecord(s, 0),
    goodRecord(s, 1),
  ]);
  s.startWorker();
  const bridge = await s.startBridge({ ROUTES: JSON.stringify([{ ...route, businessKey: { jsonField: 'reviewId' } }]) });

  await committedToEnd(s, 3);
  const byOffset = await deadLettersByOffset(s);
  assert.deepEqual([...byOffset.keys()], ['0'], 'only the refused record was dead-lettered');
  const [letter, ...copies] = byOffset.get('0')!;
  assert.equal(copies.length, 0, 'exactly once');
  assert.equal(letter.class, 'INVALID_INPUT');
  assert.equal(letter.reasonCode, 'REFUSED');
  assert.equal(letter.reason, 'the business-key check refused the record: PostgreSQL refused it with 22021 (invalid byte sequence (a 0x00 byte or bad UTF-8 in text))');
  assert.deepEqual((await auditRows(s)).map((r) => [r.offset, r.reason_code]), [['0', 'REFUSED']]);
  await s.waitForCompletedRuns(2, 60_000);
  assert.ok(!bridge.log().includes(SECRET), 'the bridge log quotes no record bytes');
});

test('a dead letter whose audit insert fails once after the send is retried without being sent again', { timeout: 120_000 }, async () => {
  const s = await createScenario('dlaudit');
  scenarios.push(s);
  const marker = join(s.logDir, 'fault-marker');
  await produce(s, [{ key: 'bad', value: 'not json' }, goodRecord(s, 0)]);
  s.startWorker();
  await s.startBridge({ KTA_FAULT: 'bridge:before-dead-letter-audit', KTA_FAULT_MARKER: marker });

  await committedToEnd(s, 2);
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('bridge:before-dead-letter-audit'), 'the audit insert failed once on purpose');
  const byOffset = await deadLettersByOffset(s);
  assert.equal(byOffset.get('0')?.length, 1, 'the retried audit did not publish the dead letter a second time');
  assert.deepEqual((await auditRows(s)).map((r) => [r.offset, r.reason_code]), [['0', 'NOT_JSON']], 'one audit row');
  await s.waitForCompletedRuns(1, 60_000);
});

test('a dead letter the broker refuses as too large goes out once by its coordinates alone (DEAD_LETTER_UNWRITABLE), and the records after it start', { timeout: 120_000 }, async () => {
  const s = await createScenario('dlpointer');
  scenarios.push(s);
  // A dead-letter topic that takes 100 kB per message: a copy of a 200 kB value cannot fit.
  await s.kafka.admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${s.topic}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '100000' }] }] });
  await produce(s, [{ key: 'bad-big', value: `${SECRET} ${'x'.repeat(200_000)}` }, goodRecord(s, 0)]);
  s.startWorker();
  const bridge = await s.startBridge();

  await committedToEnd(s, 2);
  const byOffset = await deadLettersByOffset(s);
  assert.deepEqual([...byOffset.keys()], ['0']);
  const [letter, ...copies] = byOffset.get('0')!;
  assert.equal(copies.length, 0, 'exactly once');
  assert.equal(letter.class, 'INVALID_INPUT');
  assert.equal(letter.reasonCode, 'DEAD_LETTER_UNWRITABLE');
  assert.match(letter.reason, /^the INVALID_INPUT dead letter \(reason code NOT_JSON\) could not be written in full: the broker refused it with (MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE) at the dead-letter send; this one carries the coordinates alone/);
  assert.equal(letter.original.valuePointer, `kafka:${s.topic}[0]@0`);
  assert.equal(letter.original.value, undefined, 'no copy of the value');
  assert.equal(letter.original.key, null, 'no copy of the key');
  assert.equal(letter.original.valueBytes, 200_000 + SECRET.length + 1);
  assert.deepEqual((await auditRows(s)).map((r) => [r.offset, r.reason_code]), [['0', 'DEAD_LETTER_UNWRITABLE']]);
  await s.waitForCompletedRuns(1, 60_000);
  assert.ok(!bridge.log().includes(SECRET), 'the bridge log quotes no record bytes');
});
