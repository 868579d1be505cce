// Reads a claim-checked record value stored by the bridge, and checks it is the record the run was
// started for (the hash in the reference).
import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { ClaimCheckRef } from '../../core/claim-check';
import { formatCoordinates } from '../../core/kafka-record';

export async function loadClaimCheck(pool: Pool, ref: ClaimCheckRef): Promise<Buffer> {
  const c = ref.$claimCheck;
  const { rows } = await pool.query<{ value: Buffer; record_hash: string }>(
    'SELECT value, record_hash FROM claim_checks WHERE topic = $1 AND partition = $2 AND "offset" = $3',
    [c.topic, c.partition, c.offset],
  );
  const where = `${formatCoordinates(c)}`;
  if (!rows.length) {
    throw ApplicationFailure.nonRetryable(`claim check ${where} is missing from claim_checks; the bridge stores it before the start, so the table was cleaned too early`, 'ClaimCheckMissing');
  }
  if (rows[0].record_hash !== c.recordHash) {
    throw ApplicationFailure.nonRetryable(`claim check ${where} holds a record with hash ${rows[0].record_hash}, the run expects ${c.recordHash}`, 'ClaimCheckMismatch');
  }
  return rows[0].value;
}
