// The order-support tools' activities, one per tool under the tool's name, plus the refund's undo.
// Writes go through onceByKey with the call's key (workflowId/t<turn>.c<call>.<tool>), which the orders
// API also honours as Idempotency-Key: a retried attempt or a replacement worker gets the first answer
// back. A refusal by the API (unknown order, too large a refund) is handed to the model.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { toolRefused } from '../../activities/tool-refusal';
import { onceByKey } from '../../activities/sinks/effects';
import { IdempotencyKeyError, OrdersApiRefusedError, SinkDataError } from '../../errors';
import { faultPoint } from '../../lib/fault';
import type { ToolActivityInput, UndoActivityInput } from '../../workflows/tools/define-tool';
import type { OrdersApi } from './orders-api';

type Args<N extends string> = N extends 'lookupOrder' ? { orderId: string }
  : N extends 'issueRefund' ? { orderId: string; amountCents: number; reason: string }
  : { to: string; subject: string; body: string };

/** Refusals go to the model; a key or a result that can never be recorded fails the attempt for good. */
async function asTool<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OrdersApiRefusedError) throw toolRefused(err.message, err);
    if (err instanceof IdempotencyKeyError || err instanceof SinkDataError) throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, cause: err });
    throw err;
  }
}

const signal = () => Context.current().cancellationSignal;

export function createOrderSupportActivities({ pool, api }: { pool: Pool; api: OrdersApi }) {
  return {
    async lookupOrder({ args }: ToolActivityInput<Args<'lookupOrder'>>) {
      return asTool(() => api.getOrder(args.orderId, signal()));
    },
    async issueRefund({ idempotencyKey, args }: ToolActivityInput<Args<'issueRefund'>>) {
      return asTool(() => onceByKey(pool, idempotencyKey, async () => {
        const refund = await api.refundOrder(idempotencyKey, args.orderId, { amountCents: args.amountCents, reason: args.reason }, signal());
        // Test-only: the refund happened at the API and the worker dies before the activity completes.
        faultPoint('worker:after-refund');
        return refund;
      }));
    },
    /** The undo of issueRefund, by the refund's key: it reverses the refund, or voids a key never used. */
    async reverseRefund({ idempotencyKey, originalKey }: UndoActivityInput<Args<'issueRefund'>>) {
      return asTool(() => onceByKey(pool, idempotencyKey, () => api.reverseRefund(idempotencyKey, originalKey, signal())));
    },
    async sendEmail({ idempotencyKey, args }: ToolActivityInput<Args<'sendEmail'>>) {
      return asTool(() => onceByKey(pool, idempotencyKey, () => api.sendEmail(idempotencyKey, args, signal())));
    },
  };
}

export type OrderSupportActivities = ReturnType<typeof createOrderSupportActivities>;
