// Cross-route rules of the throughput mode, checked at start-up with the other route problems. A
// throughput route owns its topic: its partition run de-duplicates by offset against one high-water
// mark per partition, which a second route on the topic (fan-out, per-key) would not share.

/** The parts of a parsed route these rules read (config.ts imports this file, so no import back). */
interface RouteModeView {
  readonly topic: string;
  readonly mode: 'per-record' | 'throughput';
  readonly ordering: string;
  readonly businessKey?: unknown;
  readonly maxOpenRuns?: number;
  readonly batch: { readonly maxRecords: number; readonly maxQueuedRecords: number };
}

export function routeModeProblems(routes: readonly RouteModeView[]): string[] {
  const problems: string[] = [];
  for (const r of routes.filter((route) => route.mode === 'throughput')) {
    const at = `ROUTES: the throughput route of topic ${r.topic}`;
    if (routes.some((other) => other !== r && other.topic === r.topic)) problems.push(`${at} shares the topic with another route; give a throughput route a topic of its own (fan out downstream instead)`);
    if (r.ordering === 'per-key') problems.push(`${at} cannot order per key; use mode per-record with ordering per-key, or drop ordering`);
    if (r.businessKey) problems.push(`${at} has a businessKey; business-key dedup is a per-record feature, drop it or use mode per-record`);
    if (r.maxOpenRuns !== undefined) problems.push(`${at} has maxOpenRuns; it has one run per partition, its backpressure is batch.maxQueuedRecords`);
    if (r.batch.maxRecords > r.batch.maxQueuedRecords) problems.push(`${at}: batch.maxRecords (${r.batch.maxRecords}) must be at most batch.maxQueuedRecords (${r.batch.maxQueuedRecords})`);
  }
  return problems;
}
