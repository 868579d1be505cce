import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { entityWorkflowId } from '../core/workflow-id';
import type { AuditReport, PartitionAudit } from '../ops/audit/report';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

async function audit(s: Scenario, args: string[] = []): Promise<{ code: number | null; report: AuditReport }> {
  const result = await runKta(['audit', '--json', ...args], s.env);
  assert.ok(result.code === 0 || result.code === 1, `kta audit ran to the end (exit ${result.code}): ${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as AuditReport };
}

const counts = (p: PartitionAudit) => {
  const { records, runs, deadLetters, skippedByBusinessKey, entityHandled, missing, from, to } = p;
  return { from, to, records, runs, deadLetters, skippedByBusinessKey, entityHandled, missing };
};

test('every committed offset is accounted for: runs, bridge dead letters, business-key skips and per-key entity turns each counted, and removing one piece of evidence makes the audit name that offset', { timeout: 300_000 }, async () => {
  const s = await createScenario('audit-mix');
  scenarios.push(s);
  const [review] = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  // Fan-out: every record also goes, per key, to a conversation entity (no run per record there).
  s.env.ROUTES = JSON.stringify([
    { ...review, businessKey: { header: 'event-id', horizonHours: 24 } },
    { ...review, workflowType: 'conversationAgent', idPrefix: 'conv', ordering: 'per-key', entity: { idleMs: 4_000 } },
  ]);
  const good = (n: number, key: string) => ({ key, value: JSON.stringify({ reviewId: `${s.topic}-r${n}`, text: `review ${n}` }), headers: { 'event-id': `evt-${n}` } });
  await s.kafka.produce(s.topic, [
    good(0, 'k1'), //                                        0: run + entity turn
    { key: 'k1', value: null }, //                           1: EMPTY dead letter
    good(1, 'k2'), //                                        2: run + entity turn
    { key: 'k2', value: 'not json' }, //                     3: NOT_JSON dead letter
    good(0, 'k1'), //                                        4: same event as offset 0: business-key skip + entity turn
    { key: 'k1', value: JSON.stringify({ reviewId: 7 }) }, // 5: SCHEMA dead letter
    good(2, 'k1'), //                                        6: run + entity turn
  ]);
  s.startWorker();
  await s.startBridge();
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 7, { timeoutMs: 90_000, message: 'the bridge committed all seven offsets' });
  const entities = [entityWorkflowId(s.topic, 'k1', 'conv'), entityWorkflowId(s.topic, 'k2', 'conv')];
  const turns = async () => Number((await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM conversation_turns WHERE entity_id = ANY($1)', [entities])).rows[0].n);
  await waitFor(turns, (n) => n === 4, { timeoutMs: 90_000, message: 'four conversation turns (every record that is not a dead letter)' });
  const skipRows = await s.pool.query('SELECT "offset"::text AS "offset", reason, owner_workflow_id FROM skipped_records WHERE topic = $1', [s.topic]);
  assert.deepEqual(skipRows.rows, [{ offset: '4', reason: 'BUSINESS_KEY', owner_workflow_id: `${s.topic}-0-0` }], 'the bridge recorded the business-key skip');

  const clean = await audit(s, ['--topic', s.topic]);
  assert.equal(clean.code, 0, JSON.stringify(clean.report));
  assert.equal(clean.report.ok, true);
  assert.equal(clean.report.groupId, s.groupId);
  assert.deepEqual(clean.report.partitions.map(counts), [{ from: 0, to: 7, records: 7, runs: 3, deadLetters: 3, skippedByBusinessKey: 1, entityHandled: 4, missing: 0 }]);
  assert.deepEqual(clean.report.missing, []);

  // The audit is not vacuous: take away the dead letter of offset 3 and the skip record of offset 4.
  await s.pool.query('DELETE FROM dead_letters WHERE topic = $1 AND "offset" = 3', [s.topic]);
  await s.pool.query('DELETE FROM skipped_records WHERE topic = $1 AND "offset" = 4', [s.topic]);
  const broken = await audit(s);
  assert.equal(broken.code, 1);
  assert.deepEqual(broken.report.missing.map((m) => [m.offset, m.workflowId]), [['3', null], ['4', `${s.topic}-0-4`]]);
  assert.match(broken.report.missing[0].expected, /dead letter of class INVALID_INPUT \(NOT_JSON\)/);
  assert.match(broken.report.missing[1].notFound, new RegExp(`no workflow ${s.topic}-0-4 in Temporal.*no business-key skip row`));
  assert.deepEqual(counts(broken.report.partitions[0]), { from: 0, to: 7, records: 7, runs: 3, deadLetters: 2, skippedByBusinessKey: 0, entityHandled: 4, missing: 2 });
});

test('a gap committed past records the bridge never started is found: the audit names exactly those offsets and their workflow IDs, and the reset it prints closes the gap', { timeout: 300_000 }, async () => {
  const s = await createScenario('audit-gap', { partitions: 2 });
  scenarios.push(s);
  await s.produceReviews(3, { partition: 0 });
  await s.produceReviews(2, { partition: 1, startAt: 10 });
  let bridge = await s.startBridge();
  const committed = (want: Record<number, number>, message: string) =>
    waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => Object.entries(want).every(([p, o]) => c[Number(p)] === o), { timeoutMs: 90_000, message });
  await committed({ 0: 3, 1: 2 }, 'the bridge committed both partitions');
  await bridge.stop();

  // Records 3..5 of partition 0 arrive while no bridge runs, and the group's offset is moved past them
  // by an admin: the skip invariant 2 forbids.
  await s.produceReviews(3, { partition: 0, startAt: 3 });
  await s.kafka.admin.setOffsets({ groupId: s.groupId, topic: s.topic, partitions: [{ partition: 0, offset: '6' }] });
  await committed({ 0: 6 }, 'the admin moved the offset');

  const gap = await audit(s);
  assert.equal(gap.code, 1);
  assert.equal(gap.report.ok, false);
  assert.deepEqual(gap.report.missing.map((m) => [m.partition, m.offset, m.workflowId]), [3, 4, 5].map((o) => [0, String(o), `${s.topic}-0-${o}`]));
  assert.ok(gap.report.missing.every((m) => m.notFound.includes(`no workflow ${m.workflowId} in Temporal`)), 'each line says what was not found');
  assert.match(gap.report.missing[0].fix, new RegExp(`reset group ${s.groupId} on ${s.topic}\\[0\\] to offset 3.*setOffsets`));
  assert.deepEqual(gap.report.partitions.map(counts), [
    { from: 0, to: 6, records: 6, runs: 3, deadLetters: 0, skippedByBusinessKey: 0, entityHandled: 0, missing: 3 },
    { from: 0, to: 2, records: 2, runs: 2, deadLetters: 0, skippedByBusinessKey: 0, entityHandled: 0, missing: 0 },
  ]);

  const narrowed = await runKta(['audit', '--partition', '0', '--from-offset', '4'], s.env);
  assert.equal(narrowed.code, 1, narrowed.stderr);
  assert.match(narrowed.stdout, new RegExp(`${s.topic}\\[0\\]  offsets 4\\.\\.5 .*2 records, 0 runs found.*2 missing`));
  assert.deepEqual([...narrowed.stdout.matchAll(/^missing (\S+)/gm)].map((m) => m[1]), [`${s.topic}[0]@4:`, `${s.topic}[0]@5:`]);

  // Follow the printed fix: the group back to the first missing offset, and the bridge starts the gap.
  await s.kafka.admin.setOffsets({ groupId: s.groupId, topic: s.topic, partitions: [{ partition: 0, offset: '3' }] });
  bridge = await s.startBridge();
  await committed({ 0: 6 }, 'the bridge committed the gap');
  assert.equal((await bridge.stats()).starts, 3, 'exactly the three missing runs were started');
  const healed = await audit(s);
  assert.equal(healed.code, 0, JSON.stringify(healed.report.missing));
  assert.deepEqual(healed.report.partitions.map((p) => [p.runs, p.missing]), [[6, 0], [2, 0]]);
});
