// What this bridge holds in its consumer group, from the consumer's own events: readiness (a member
// that has joined, with partitions or waiting for them) and the partitions whose lag it reports.
// A bridge with more replicas than partitions is an idle, ready member: it takes over on a rebalance.

export type Assignment = Readonly<Record<string, readonly number[]>>;

export class GroupMembership {
  private assignment: Assignment | undefined;
  private leftBecause: string | undefined = 'has not joined its consumer group yet';

  /** The consumer joined (the first time, or after a rebalance) and holds these partitions. */
  joined(assignment: Assignment): void {
    this.assignment = assignment;
    this.leftBecause = undefined;
  }

  /** A rebalance started: the member stays in the group and waits for its new assignment. */
  rebalancing(): void {
    this.assignment = {};
  }

  /** The consumer crashed (it may rejoin by itself), stopped or disconnected. */
  left(reason: string): void {
    this.assignment = undefined;
    this.leftBecause = reason;
  }

  /** Why this member is not in its group now, or undefined when it is. */
  notInGroup(): string | undefined {
    return this.leftBecause;
  }

  /** The partitions this member holds now (none while it waits for an assignment). */
  partitions(): { topic: string; partition: number }[] {
    return Object.entries(this.assignment ?? {}).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
  }

  describe(): string {
    const n = this.partitions().length;
    return n ? `in its consumer group, holding ${n} partition${n === 1 ? '' : 's'}` : 'in its consumer group, waiting for partitions';
  }
}
