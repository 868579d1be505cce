// The broker's own account of a consumer group, from its log: every rebalance it prepared and every
// member it evicted for missing heartbeats. A member that is stuck in a batch does not rejoin (so
// emits no GROUP_JOIN) until the batch ends, but the broker has already rebalanced without it; this
// count sees those rebalances too.
import { readFileSync } from 'node:fs';

export interface BrokerGroupEvents {
  /** "Preparing to rebalance group G": a new generation was started (a member came, left or was evicted). */
  readonly rebalances: number;
  /** "Member M in group G has failed, removing it": evictions after a missed session timeout. */
  readonly evictions: number;
}

// log4j's layout in dev/stack/kafka-config.ts: `[2026-11-24 01:06:10,299] INFO ...`, in the
// machine's time zone (the broker runs here, with the same zone as this process).
const LINE_TIME = /^\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\]/;

export function brokerGroupEvents(kafkaLogFile: string, groupId: string, fromMs: number, toMs: number): BrokerGroupEvents {
  let rebalances = 0;
  let evictions = 0;
  for (const line of readFileSync(kafkaLogFile, 'utf8').split('\n')) {
    if (!line.includes(`group ${groupId} `)) continue;
    const time = LINE_TIME.exec(line);
    if (!time) continue;
    const atMs = new Date(`${time[1]}T${time[2]}.${time[3]}`).getTime();
    if (atMs < fromMs || atMs > toMs) continue;
    if (line.includes(`Preparing to rebalance group ${groupId} `)) rebalances += 1;
    if (line.includes('has failed, removing it from the group')) evictions += 1;
  }
  return { rebalances, evictions };
}
