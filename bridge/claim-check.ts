// Stores a large record value once, by its coordinates, before the run that references it starts.
// Insert-if-absent: a redelivered record finds its claim check already there.
import type { Pool } from 'pg';
import type { ClaimCheckRef } from '../core/claim-check';
import type { KafkaRecord } from './route';

export async function storeClaimCheck(pool: Pool, record: KafkaRecord, ref: ClaimCheckRef): Promise<true> {
  const c = ref.$claimCheck;
  await pool.query(
    `INSERT INTO claim_checks (topic, partition, "offset", record_hash, value) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (topic, partition, "offset") DO NOTHING`,
    [c.topic, c.partition, c.offset, c.recordHash, record.value],
  );
  return true;
}
