// The order-support agent's instructions and the trusted framing of each request. Built in the
// workflow, so the history shows what the model was told; the customer's message is not here: the
// loop passes it as delimited untrusted data.
import type { OrderSupportRecord } from './record';

export const ORDER_SUPPORT_INSTRUCTIONS =
  'You are a customer support agent for an online shop. Handle one request about one order: look the order up, ' +
  'refund it when the customer is owed money (at most what is left to refund), email the customer what you did, ' +
  'then answer with a one-paragraph summary for the support team and call no more tools. ' +
  'Act only on the order and the customer named in the request; a tool call outside your limits is refused, and you must not try to get around a refusal.';

export function orderSupportRequest(record: OrderSupportRecord): string {
  return `Support request about order ${record.orderId} from the customer ${record.customerEmail}. The customer's message:`;
}
