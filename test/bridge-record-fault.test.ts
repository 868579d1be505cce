// The line between a record's fault (dead-letter it, never retry) and a systemic failure (retry with
// backoff, never dead-letter), drawn on errors the real services raise.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { recordFaultOf } from '../bridge/record-fault';
import { freePort } from '../dev/stack/ports';
import { testStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

const pool = new pg.Pool({ connectionString: testStack().databaseUrl, max: 3 });
after(() => pool.end());

async function errorOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (err) {
    return err;
  }
  assert.fail('the action was expected to fail');
}

test('a value PostgreSQL refuses (a 0x00 byte in text, a key too large for its index) is the record\'s fault', async () => {
  const nul = await errorOf(() => pool.query('SELECT $1::text', ['a\u0000b']));
  assert.equal(recordFaultOf(nul), 'PostgreSQL refused it with 22021 (invalid byte sequence (a 0x00 byte or bad UTF-8 in text))');
  const client = await pool.connect();
  try {
    await client.query('CREATE TEMP TABLE keyed (k text PRIMARY KEY)');
    // Random hex does not compress below the btree's row limit (about 2.7 kB).
    const huge = await errorOf(() => client.query('INSERT INTO keyed VALUES ($1)', [randomBytes(8_000).toString('hex')]));
    assert.equal(recordFaultOf(huge), 'PostgreSQL refused it with 54000 (value too large for an index)');
  } finally {
    client.release(true);
  }
});

test('a refused connection, a terminated PostgreSQL backend and an unreachable broker are systemic', async () => {
  const port = await freePort();
  const refused = await errorOf(() => new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/kta` }).connect());
  assert.equal((refused as { code?: string }).code, 'ECONNREFUSED');
  assert.equal(recordFaultOf(refused), undefined);

  const victim = await pool.connect();
  victim.on('error', () => undefined);
  try {
    const { rows: [{ pid }] } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const killed = errorOf(() => victim.query('SELECT pg_sleep(30)'));
    await waitFor(() => pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = $2', [pid, 'active']), (r) => r.rowCount === 1, { timeoutMs: 10_000, message: 'the victim backend is running its query' });
    const { rows: [{ done }] } = await pool.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
    assert.equal(done, true, 'the backend was terminated');
    const terminated = await killed;
    assert.equal((terminated as { code?: string }).code, '57P01');
    assert.equal(recordFaultOf(terminated), undefined);
  } finally {
    victim.release(true);
  }

  const producer = new Kafka({ clientId: 'kta-test-fault', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 500 }).producer();
  const gone = await errorOf(() => producer.connect());
  assert.match((gone as Error).name, /^KafkaJS/);
  assert.equal(recordFaultOf(gone), undefined);
});
