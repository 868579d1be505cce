// The business-key ledger: the same event produced twice (two offsets, one business key) runs once,
// and an offset reset older than Temporal's retention does not re-run every model call. The first
// workflow ID to claim a key within the horizon owns it; a redelivery of that same record finds its own
// ID and proceeds (its start is then a verified duplicate).
import type { Pool } from 'pg';
import type { PlannedStart } from './route';

/** Returns the workflow ID that owns the business key (this start's when it is the first). */
export async function claimBusinessKey(pool: Pool, start: PlannedStart): Promise<string> {
  const routeName = `${start.route.idPrefix ?? ''}:${start.route.topic}:${start.route.workflowType}`;
  const horizonHours = start.route.businessKey?.horizonHours ?? 168;
  const { rows } = await pool.query<{ workflow_id: string }>(
    `INSERT INTO business_keys (route, business_key, workflow_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))
     ON CONFLICT (route, business_key) DO UPDATE
       SET workflow_id = CASE WHEN business_keys.expires_at < now() THEN EXCLUDED.workflow_id ELSE business_keys.workflow_id END,
           expires_at  = CASE WHEN business_keys.expires_at < now() THEN EXCLUDED.expires_at ELSE business_keys.expires_at END
     RETURNING workflow_id`,
    [routeName, start.businessKey, start.workflowId, Math.ceil(horizonHours)],
  );
  return rows[0].workflow_id;
}
