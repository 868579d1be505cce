// Order support: a tool-using agent on an orders topic (lookupOrder, issueRefund, sendEmail).
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { createOrderSupportActivities } from './activities';
import { createOrdersApi } from './orders-api';
import { orderSupportRecordSchema } from './record';

export const orderSupport = defineAgent({
  workflowType: 'supportOrder',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: orderSupportRecordSchema,
  // Its model turns offer tools (the gateway's `tools` output): no structured-output task to declare.
  outputs: {},
  createActivities: ({ pool, config }) => createOrderSupportActivities({ pool, api: createOrdersApi(config.booking) }),
  shadow: {
    lookupOrder: { keep: 'reads an order from the orders API' },
    issueRefund: { stub: 'refunds an order at the orders API', answer: (req: { idempotencyKey: string; args: { orderId: string; amountCents: number } }) => ({ refundId: `shadow-${req.idempotencyKey}`, orderId: req.args.orderId, amountCents: req.args.amountCents, status: 'refunded' }) },
    reverseRefund: { stub: 'reverses a refund at the orders API (a compensation)', answer: () => ({ refundId: null, status: 'reversed' }) },
    sendEmail: { stub: 'sends an email to the customer', answer: (req: { idempotencyKey: string; args: { to: string } }) => ({ emailId: `shadow-${req.idempotencyKey}`, to: req.args.to, status: 'sent' }) },
  },
  // Its effects live in the shared effects table (activities/sinks/effects.ts).
  tables: [],
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
