// HTTP plumbing of the booking simulator: read a bounded JSON body, send a JSON answer, wait for a
// client to leave (a hung request), and a sleep that ends when the simulator closes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BookingSimulatorRequestError } from './errors';

const BODY_MAX_BYTES = 64 * 1024;
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= BODY_MAX_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > BODY_MAX_BYTES) throw new BookingSimulatorRequestError(413, 'body_too_large', `the body is ${size} bytes; at most ${BODY_MAX_BYTES} are accepted`);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BookingSimulatorRequestError(400, 'invalid_json', 'the body is not JSON; send a JSON object');
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function waitForClose(res: ServerResponse, closing: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (closing.aborted || res.destroyed) return resolve();
    res.once('close', () => resolve());
    closing.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
