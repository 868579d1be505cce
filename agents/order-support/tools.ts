// The order-support agent's tools, declared once: the model sees their JSON schemas, the loop checks
// every call against them, the policies guard each call (only the record's order and customer; a
// refund at most what is left of the order and the configured limit; an email after a large refund
// waits for a human), and activities.ts implements each one under the same name.
import { z } from 'zod';
import { allow, defineTool, needsApproval, refuse, type PolicyContext } from '../../workflows/tools/define-tool';
import type { OrderSupportRecord } from './record';

/** Policy limits, overridable per route (`workflow.agent.limits`). */
export const ORDER_SUPPORT_LIMITS = {
  /** The largest refund one run may issue, whatever the order. */
  refundLimitCents: 20_000,
  /** An email after refunds above this total waits for a human approval. */
  emailApprovalAboveCents: 10_000,
};

type Ctx = PolicyContext<OrderSupportRecord>;
const orderId = z.string().regex(/^ord-\d{3,9}$/).describe('The order ID, e.g. ord-1001');

const onlyRecordOrder = (id: string, ctx: Ctx) =>
  id === ctx.record.orderId ? undefined : refuse(`order ${id} is not the order this request is about (${ctx.record.orderId}); this run may only act on ${ctx.record.orderId}`);

/** The order as this run's last successful lookup saw it. */
const lookedUp = (id: string, ctx: Ctx) =>
  [...ctx.calls].reverse().find((c) => c.ok && c.tool === 'lookupOrder' && (c.result as { orderId?: string } | undefined)?.orderId === id)?.result as
    { totalCents: number; refundableCents?: number; currency: string } | undefined;

const refundedInRun = (ctx: Ctx) =>
  ctx.calls.filter((c) => c.ok && c.tool === 'issueRefund').reduce((sum, c) => sum + ((c.args as { amountCents: number }).amountCents ?? 0), 0);

export const lookupOrder = defineTool({
  name: 'lookupOrder',
  description: 'Read an order: customer, items, total, what was refunded already and what is left to refund (cents).',
  input: z.object({ orderId }),
  kind: 'read',
  // Reading another customer's order would leak it: reads are held to the record's order too.
  policy: (args, ctx: Ctx) => onlyRecordOrder(args.orderId, ctx) ?? allow(),
});

export const issueRefund = defineTool({
  name: 'issueRefund',
  description: 'Refund part or all of an order, in cents of the order\'s currency. Look the order up first.',
  input: z.object({ orderId, amountCents: z.number().int().positive(), reason: z.string().min(1).max(500) }),
  kind: 'reversible',
  undo: { activity: 'reverseRefund', describe: (args) => `reverse the refund of ${args.amountCents} cents on ${args.orderId}` },
  policy: (args, ctx: Ctx) => {
    const other = onlyRecordOrder(args.orderId, ctx);
    if (other) return other;
    const order = lookedUp(args.orderId, ctx);
    if (!order) return refuse(`look up order ${args.orderId} before refunding it`);
    const left = order.refundableCents ?? order.totalCents;
    if (args.amountCents > left) return refuse(`a refund of ${args.amountCents} cents is more than the ${left} cents left to refund on ${args.orderId} (total ${order.totalCents})`);
    const limit = ctx.limits.refundLimitCents ?? ORDER_SUPPORT_LIMITS.refundLimitCents;
    if (args.amountCents > limit) return refuse(`a refund of ${args.amountCents} cents is above the limit of ${limit} cents per run`);
    return allow();
  },
});

export const sendEmail = defineTool({
  name: 'sendEmail',
  description: 'Send an email to the customer of this request. It cannot be unsent.',
  input: z.object({ to: z.email(), subject: z.string().min(1).max(200), body: z.string().min(1).max(5_000) }),
  kind: 'irreversible',
  policy: (args, ctx: Ctx) => {
    if (args.to.toLowerCase() !== ctx.record.customerEmail.toLowerCase()) {
      return refuse(`${args.to} is not the customer of this request (${ctx.record.customerEmail}); emails go only to the record's customer`);
    }
    const refunded = refundedInRun(ctx);
    const threshold = ctx.limits.emailApprovalAboveCents ?? ORDER_SUPPORT_LIMITS.emailApprovalAboveCents;
    if (refunded > threshold) return needsApproval(`the email follows refunds of ${refunded} cents in this run, above ${threshold} cents: a human approves it first`);
    return allow();
  },
});

export const ORDER_SUPPORT_TOOLS = [lookupOrder, issueRefund, sendEmail];
