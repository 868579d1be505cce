// Duplicate verification for throughput routes (invariant 1): the partition run answers an offset at
// or below its high-water mark as a duplicate. When it still holds that offset's record it compares
// the hashes itself; for an offset it has finished, the bridge compares the record's hash with the one
// in throughput_results. Another hash means another record wears these coordinates (the topic was
// recreated, offsets were reset): a COLLISION dead letter, never a silent skip.
import type { Pool } from 'pg';
import type { RecordsAccepted } from '../core/throughput';
import type { PlannedStart } from './route';

export async function collidingOffsets(pool: Pool, starts: PlannedStart[], answer: RecordsAccepted): Promise<Set<string>> {
  const colliding = new Set(answer.collisions);
  if (!answer.unverified.length) return colliding;
  const { topic, partition } = starts[0].input.source;
  const { rows } = await pool.query<{ offset: string; record_hash: string }>(
    `SELECT "offset"::text AS "offset", record_hash FROM throughput_results
     WHERE route = $1 AND topic = $2 AND partition = $3 AND "offset" = ANY($4::bigint[])`,
    [starts[0].route.idPrefix ?? '', topic, partition, answer.unverified],
  );
  const stored = new Map(rows.map((r) => [r.offset, r.record_hash]));
  for (const s of starts) {
    const hash = stored.get(s.input.source.offset);
    if (hash !== undefined && hash !== s.input.source.recordHash) colliding.add(s.input.source.offset);
  }
  return colliding;
}
