// The agents' record schemas as the bridge (and audit, shadow, reprocess) route with them.
import type { RecordSpecs } from '../core/record-spec';
import { AGENTS } from './registry';

export const recordSpecs = (agents = AGENTS): RecordSpecs =>
  new Map(agents.map((a) => [a.workflowType, { schema: a.recordSchema, takesClaimChecks: a.takesClaimChecks ?? false, takesBatches: a.throughput !== undefined }]));
