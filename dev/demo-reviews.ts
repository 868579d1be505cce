// Generated product reviews for the demo: deterministic, varied enough to read like real input.
const PRODUCTS = ['headphones', 'kettle', 'backpack', 'desk lamp', 'running shoes', 'phone case', 'coffee grinder'];
const OPENINGS = ['Bought this last month.', 'Second one I own.', 'A gift for my brother.', 'Replaced an older model.'];
const POINTS = [
  'The battery lasts two days', 'shipping took almost two weeks', 'build quality feels premium', 'the price is hard to beat',
  'it broke after a week', 'setup took five minutes', 'customer support answered quickly', 'it is louder than expected',
];

export interface DemoReview {
  readonly reviewId: string;
  readonly productId: string;
  readonly rating: number;
  readonly text: string;
}

export function demoReviews(count: number, runTag: string): DemoReview[] {
  return Array.from({ length: count }, (_, i) => {
    const product = PRODUCTS[i % PRODUCTS.length];
    return {
      reviewId: `${runTag}-review-${String(i).padStart(5, '0')}`,
      productId: `sku-${(i * 7) % 97}`,
      rating: (i % 5) + 1,
      text: `${OPENINGS[i % OPENINGS.length]} My ${product}: ${POINTS[i % POINTS.length]}, and ${POINTS[(i * 3 + 1) % POINTS.length]}.`,
    };
  });
}
