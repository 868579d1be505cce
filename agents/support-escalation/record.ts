// The support agent's record: one ticket, validated by the bridge before a run starts.
import { z } from 'zod';

export const supportTicketRecordSchema = z.object({
  ticketId: z.string().min(1).max(200),
  customer: z.string().max(200).optional(),
  question: z.string().min(1).max(8_000),
});

export type SupportTicket = z.infer<typeof supportTicketRecordSchema>;
