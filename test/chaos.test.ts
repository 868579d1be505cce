// The short chaos run: about a thousand records for every registered agent, one fault of each kind,
// audited from outside. It starts its own stack (it kills and restarts Temporal, Kafka and
// PostgreSQL); only the workflow bundle comes from the suite. Run with KTA_TEST_UNSAFE_COMMIT_BEFORE_START=true or
// KTA_TEST_UNSAFE_RANDOM_WORKFLOW_ID=true in the environment, the bridges break an invariant on
// purpose and this test must fail (the chaos proof's negative half).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FAULT_KINDS } from '../chaos/fault-kinds';
import { runChaos } from '../chaos/run-chaos';
import { testStack } from './helpers/test-stack';

const RECORDS = 1_000;

test('under every kind of fault, a thousand records leave no offset without a run or dead letter, none with two runs, no effect twice, and one model call per completed step', { timeout: 1_800_000 }, async () => {
  const stack = testStack();
  // Its own directory under the system temp dir: as root, PostgreSQL runs as the postgres user, which
  // cannot enter the suite's private stack directory. Kept when the test fails, for its logs.
  const outDir = mkdtempSync(join(tmpdir(), 'kta-chaos-test-'));
  // The test-only switches, when set for a negative run, are handed to the bridges explicitly so the report names them.
  const bridgeEnv = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => k.startsWith('KTA_TEST_UNSAFE_') && v !== undefined)) as Record<string, string>;
  const report = await runChaos({ records: RECORDS, seed: 13, outDir, faultRounds: 1, workflowBundlePath: stack.workflowBundlePath, bridgeEnv });
  const { table, ...figures } = report;
  console.log(`${table}\n${JSON.stringify(figures)}`);

  for (const kind of FAULT_KINDS) assert.equal(report.faults[kind], 1, `fault ${kind} fired once (${report.faultsNotFired.join('; ')})`);
  assert.deepEqual(report.faultsNotFired, []);
  assert.equal(report.records, RECORDS, 'every planned record is on its topic');
  assert.ok(report.runs > 0 && report.deadLetters >= report.plan.bad, `runs ${report.runs}, dead letters ${report.deadLetters} for ${report.plan.bad} bad records`);
  assert.equal(report.offsetsWithNeither, 0, `offsets with neither a run nor a dead letter: ${report.examples.join('; ')}`);
  assert.equal(report.offsetsWithTwoRuns, 0, `offsets with two runs: ${report.examples.join('; ')}`);
  assert.equal(report.duplicateEffects, 0, 'effects applied twice');
  assert.equal(report.leakedEffects, 0, 'bookings left standing after their saga failed');
  assert.equal(report.uncommittedOffsets, 0, 'offsets the group never committed');
  assert.equal(report.openRuns, 0, 'runs still open after the run settled');
  assert.equal(report.modelCallsPerCompletedStep, 1, `model calls per completed step (interrupted calls apart: ${report.interruptedStepCalls})`);
  assert.equal(report.unexplainedExtraModelCalls, 0);
  assert.equal(report.redeliveriesMissedByWorkflowId, 0, `business-key skips ${report.businessKeySkips} for ${report.plan.duplicates} planned duplicates`);
  assert.ok(report.compensations > 0, 'declined cards and refused charges were compensated');
  assert.ok(report.businessKeySkips > 0, 'business-key duplicates were skipped');
  assert.deepEqual(report.failures, []);
  rmSync(outDir, { recursive: true, force: true });
});
