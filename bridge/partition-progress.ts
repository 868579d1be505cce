// Which offsets of one partition may be committed. Starts run concurrently and finish out of order;
// only the highest offset whose start and every earlier launched start were acknowledged may be
// committed (as offset + 1). Offsets in a batch need not be consecutive (compaction, transaction
// markers), so "contiguous" means contiguous in launch order.

export class PartitionProgress {
  private readonly pending: { offset: bigint; done: boolean }[] = [];
  private readonly byOffset = new Map<bigint, { offset: bigint; done: boolean }>();
  private highestAcked: bigint | undefined;

  launch(offset: string): void {
    const entry = { offset: BigInt(offset), done: false };
    this.pending.push(entry);
    this.byOffset.set(entry.offset, entry);
  }

  acknowledge(offset: string): void {
    const entry = this.byOffset.get(BigInt(offset));
    if (!entry) throw new Error(`offset ${offset} was acknowledged but never launched`);
    entry.done = true;
    while (this.pending.length && this.pending[0].done) {
      const head = this.pending.shift()!;
      this.byOffset.delete(head.offset);
      this.highestAcked = head.offset;
    }
  }

  /** The highest contiguous acknowledged offset, if any. */
  get lastContiguous(): string | undefined {
    return this.highestAcked?.toString();
  }

  /** The offset to commit (last contiguous + 1), if any. */
  get commitOffset(): string | undefined {
    return this.highestAcked === undefined ? undefined : (this.highestAcked + 1n).toString();
  }
}
