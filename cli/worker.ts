// `kta worker`: run the review tagger's worker until SIGINT/SIGTERM (the SDK drains on those signals).
import { loadConfig } from '../config';
import { runReviewTaggerWorker } from '../workers/review-tagger';

export async function workerCommand(): Promise<void> {
  await runReviewTaggerWorker(loadConfig());
}
