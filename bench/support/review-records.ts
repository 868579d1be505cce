// The benches' workload: review records (the tagReview input) whose value is exactly `valueBytes`
// long, so fetch sizes in bytes translate into a known number of records per batch. Each review
// has its own ID, so each record's prompt is unique and a second model call for it is a duplicate.

export interface BenchRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly partition: number;
}

const FILLER = 'The battery lasts two days, the screen is sharp, shipping was slow and the box arrived dented. ';

export function reviewRecords(count: number, partitions: number, valueBytes: number, idPrefix = 'review-'): BenchRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const reviewId = `${idPrefix}${String(i).padStart(6, '0')}`;
    const bare = JSON.stringify({ reviewId, text: '', rating: (i % 5) + 1 });
    const room = valueBytes - Buffer.byteLength(bare);
    if (room < 10) throw new Error(`valueBytes (${valueBytes}) is too small for a review record; use at least ${Buffer.byteLength(bare) + 10}`);
    const text = `Review ${i}. ${FILLER.repeat(Math.ceil(room / FILLER.length))}`.slice(0, room);
    const value = Buffer.from(JSON.stringify({ reviewId, text, rating: (i % 5) + 1 }));
    // ASCII filler only, so characters are bytes and the value has exactly the size asked for.
    if (value.length !== valueBytes) throw new Error(`review record ${reviewId} is ${value.length} bytes, not ${valueBytes}`);
    return { key: reviewId, value, partition: i % partitions };
  });
}
