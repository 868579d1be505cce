// Support escalation: the model answers a ticket; below the confidence threshold a human decides.
// Its only effect, the published answer, goes through the shared outbox activity (publishResult).
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { SUPPORT_ESCALATION_OUTPUTS } from './output';
import { supportTicketRecordSchema } from './record';

export const supportEscalation = defineAgent({
  workflowType: 'escalateSupport',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: supportTicketRecordSchema,
  outputs: SUPPORT_ESCALATION_OUTPUTS,
  createActivities: () => ({}),
  shadow: {},
  tables: [],
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
