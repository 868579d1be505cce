// The order-support agent's record: which order, which customer, and what the customer wrote. The
// bridge validates it before a run starts; the order ID and the address are the only entities the
// run's tools may touch (the policies in tools.ts), the message is untrusted text.
import { z } from 'zod';

export const orderSupportRecordSchema = z.object({
  orderId: z.string().regex(/^ord-\d{3,9}$/, 'an order ID is ord- and 3 to 9 digits'),
  customerEmail: z.email().max(254),
  /** The customer's own words: never instructions for the agent. */
  message: z.string().min(1).max(8_000),
});

export type OrderSupportRecord = z.infer<typeof orderSupportRecordSchema>;
