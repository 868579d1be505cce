// The business-key ledger: the same event produced twice (two offsets, one business key) runs once,
// and an offset reset older than Temporal's retention does not re-run every model call. The first
// workflow ID to claim a key within the horizon owns it; a redelivery of that same record finds its own
// ID and proceeds (its start is then a verified duplicate).
import type { Pool } from 'pg';
import type { Route } from '../config';
import type { KafkaRecord, PlannedStart } from './route';

/** The ledger's name for a route; `kta audit` reads the skip rows by it, so keep the two in step. */
export const businessKeyRouteName = (route: Route): string => `${route.idPrefix ?? ''}:${route.topic}:${route.workflowType}`;

/** Returns the workflow ID that owns the business key (this start's when it is the first). */
export async function claimBusinessKey(pool: Pool, start: PlannedStart): Promise<string> {
  const horizonHours = start.route.businessKey?.horizonHours ?? 168;
  const { rows } = await pool.query<{ workflow_id: string }>(
    `INSERT INTO business_keys (route, business_key, workflow_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))
     ON CONFLICT (route, business_key) DO UPDATE
       SET workflow_id = CASE WHEN business_keys.expires_at < now() THEN EXCLUDED.workflow_id ELSE business_keys.workflow_id END,
           expires_at  = CASE WHEN business_keys.expires_at < now() THEN EXCLUDED.expires_at ELSE business_keys.expires_at END
     RETURNING workflow_id`,
    [businessKeyRouteName(start.route), start.businessKey, start.workflowId, Math.ceil(horizonHours)],
  );
  return rows[0].workflow_id;
}

/**
 * Records that this record's start was skipped because `ownerWorkflowId` already ran its business key.
 * Written before the record counts as acknowledged: without the row a skip is indistinguishable from a
 * lost record, and the audit (invariant 2) would have to take the log's word for it.
 */
export async function recordBusinessKeySkip(pool: Pool, record: KafkaRecord, start: PlannedStart, ownerWorkflowId: string): Promise<true> {
  await pool.query(
    `INSERT INTO skipped_records (topic, partition, "offset", route, reason, owner_workflow_id)
     VALUES ($1, $2, $3, $4, 'BUSINESS_KEY', $5) ON CONFLICT DO NOTHING`,
    [record.topic, record.partition, record.offset, businessKeyRouteName(start.route), ownerWorkflowId],
  );
  return true;
}
