// The local stack formats Kafka storage with a random cluster ID; about one ID in 64 starts with '-',
// which StorageTool's argument parser used to read as a flag, failing the stack start.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaClusterIdError } from '../dev/stack/errors';
import { startKafka } from '../dev/stack/kafka';
import { checkClusterId, newClusterId } from '../dev/stack/kafka-cluster-id';

// 0xF8 is 111110 in its top six bits: base64url index 62, '-'.
const DASH_FIRST = Buffer.from('f8000000000000000000000000000001', 'hex');

test('a broker formatted with a cluster ID that starts with "-" starts and reports that ID', { timeout: 150_000 }, async () => {
  const clusterId = DASH_FIRST.toString('base64url');
  assert.ok(clusterId.startsWith('-'), clusterId);
  const dataDir = mkdtempSync(join(tmpdir(), 'kta-kafka-id-'));
  const broker = await startKafka({ dataDir, clusterId });
  try {
    assert.match(readFileSync(join(dataDir, 'data', 'meta.properties'), 'utf8'), new RegExp(`^cluster.id=${clusterId}$`, 'm'));
    const admin = new Kafka({ clientId: 'kta-test-cluster-id', brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      assert.equal((await admin.describeCluster()).clusterId, clusterId);
    } finally {
      await admin.disconnect();
    }
  } finally {
    await broker.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a drawn cluster ID never starts with "-" nor is one Kafka reserves', () => {
  const draws = [DASH_FIRST, Buffer.alloc(16), Buffer.from('00000000000000000000000000000001', 'hex'), Buffer.from('0123456789abcdef0123456789abcdef', 'hex')];
  let drawn = 0;
  const id = newClusterId(() => draws[drawn++]);
  assert.equal(drawn, 4, 'the dash-first and the two reserved draws were rejected');
  assert.equal(id, draws[3].toString('base64url'));
  for (let i = 0; i < 2000; i++) assert.doesNotMatch(newClusterId(), /^-/);
});

test('a given cluster ID that is not a Kafka UUID is refused with what to do', () => {
  assert.throws(() => checkClusterId('not-a-uuid'), (err: unknown) => {
    assert.ok(err instanceof KafkaClusterIdError);
    assert.equal(err.message, 'Kafka cluster ID "not-a-uuid" is not 16 bytes of unpadded base64url (22 characters of A-Z a-z 0-9 - _); leave the clusterId option out to draw a valid one');
    return true;
  });
  assert.throws(() => checkClusterId(Buffer.alloc(16).toString('base64url')), { name: 'KafkaClusterIdError', message: /is reserved by Kafka/ });
  assert.equal(checkClusterId(DASH_FIRST.toString('base64url')), DASH_FIRST.toString('base64url'));
});
