// The workflow ID is the dedup key for redelivered records; never change its format.
// `topic-partition-offset` parses from the right: partition and offset are integers and topic names
// hold no ':', so an optional route prefix `name:` keeps it unambiguous.

export function workflowIdFor(topic: string, partition: number, offset: string, prefix?: string): string {
  return `${prefix ? `${prefix}:` : ''}${topic}-${partition}-${offset}`;
}

/** The entity run of a per-key ordered route; keys are free text, so they follow a `#key=` marker. */
export const entityWorkflowId = (topic: string, key: string, prefix?: string) => `${prefix ? `${prefix}:` : ''}${topic}#key=${key}`;

export interface ParsedWorkflowId {
  readonly prefix?: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** `#retry-N` of a run re-driven by `kta reprocess`. */
  readonly retry?: number;
}

/** A re-driven run's ID: derived from the original, never colliding with the first run. */
export const retryWorkflowId = (originalId: string, retry: number): string => `${originalId.replace(/#retry-\d+$/, '')}#retry-${retry}`;

export function parseWorkflowId(id: string): ParsedWorkflowId | undefined {
  const colon = id.indexOf(':');
  const prefix = colon >= 0 ? id.slice(0, colon) : undefined;
  const match = /^(.+)-(\d+)-(\d+)(?:#retry-(\d+))?$/.exec(colon >= 0 ? id.slice(colon + 1) : id);
  if (!match) return undefined;
  return { prefix, topic: match[1], partition: Number(match[2]), offset: match[3], ...(match[4] ? { retry: Number(match[4]) } : {}) };
}

/**
 * The partition run of a throughput route: one per topic partition, `topic#partition=P`. Never in
 * the per-record format (`#partition=P` ends in no `-P-O`, so parseWorkflowId refuses it) and never an
 * entity's (`#key=`). It is the dedup scope of the partition's offsets; never change its format.
 */
export const partitionWorkflowId = (topic: string, partition: number, prefix?: string) => `${prefix ? `${prefix}:` : ''}${topic}#partition=${partition}`;
