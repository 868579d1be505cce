// Order-support records and what a tool-using run did, for the agent loop's tests: records built from
// the orders simulator's seeded orders (the same in every process), the activities a run scheduled,
// and the guard decisions in its memo.
import type { Client } from '@temporalio/client';
import { seedOrders } from '../../dev/booking-simulator/server';
import type { OrderSupportRecord } from '../../agents/order-support/record';
import type { GuardEntry } from '../../workflows/agent-loop-state';
import type { Scenario } from './scenario';

export const SEEDED_ORDERS = seedOrders();

/** A seeded order whose first item costs at most `maxCents` (the support script refunds the first item). */
export function orderWithFirstItemAtMost(maxCents: number, skip = 0) {
  const found = SEEDED_ORDERS.filter((o) => o.items[0].unitPriceCents <= maxCents)[skip];
  if (!found) throw new Error(`no seeded order has a first item of at most ${maxCents} cents (skip ${skip})`);
  return found;
}

/** A record for `order` whose message names the LLM simulator's agent script (`sim-script: NAME`). */
export function orderRecord(order: { orderId: string; customerEmail: string }, script: string, text = 'My order arrived damaged; please refund the first item.'): OrderSupportRecord {
  return { orderId: order.orderId, customerEmail: order.customerEmail, message: `${text} sim-script: ${script}` };
}

export async function produceOrderRecords(s: Scenario, records: readonly OrderSupportRecord[]): Promise<void> {
  await s.kafka.produce(s.topic, records.map((r) => ({ key: r.orderId, value: JSON.stringify(r) })));
}

/**
 * How often each activity type was scheduled in the workflow's histories (retries of one schedule
 * count once), over every run of the workflow ID: a continue-as-new splits one workflow into several.
 */
export async function activityCounts(client: Client, workflowId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    for (const e of history.events ?? []) {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

export async function guardMemo(client: Client, workflowId: string): Promise<GuardEntry[]> {
  const desc = await client.workflow.getHandle(workflowId).describe();
  return ((desc.memo as { guard?: GuardEntry[] } | undefined)?.guard) ?? [];
}
