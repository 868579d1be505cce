// HTTP plumbing shared by the routes: bounded body reading, JSON parsing with OpenAI's error
// wording, replies as values, and the signal that says a request is no longer worth answering.
// Handlers return a Reply instead of writing to the socket, so faults can swap or delay a reply
// (429, 5xx, no answer at all) in one place.
import type { Reply } from './reply';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LlmSimulatorRequestError } from './errors';
import { openaiErrorReply, requestErrorAsSimulated, unexpectedErrorAsSimulated } from './wire-errors';

export type { Reply } from './reply';

// Far above any prompt the agents send; it only stops a runaway client from filling memory.
export const REQUEST_BODY_MAX_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage, maxBytes = REQUEST_BODY_MAX_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // An oversized body is read to its end and dropped rather than cut off, so the client receives
  // the 413 instead of a reset connection.
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= maxBytes) chunks.push(buffer);
  }
  if (size > maxBytes) {
    throw new LlmSimulatorRequestError(`The request body is ${size} bytes, more than the ${maxBytes} allowed; send a smaller prompt.`, { status: 413 });
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A header's value; when a header is sent twice, the last one counts. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  return Array.isArray(raw) ? raw[raw.length - 1] : raw;
}

/** Parses a JSON body; an empty body is `emptyAs` when given, else a 400 like any invalid JSON. */
export function parseJsonBody(text: string, emptyAs?: unknown): unknown {
  if (text.trim() === '' && emptyAs !== undefined) return emptyAs;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LlmSimulatorRequestError(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      { cause: error },
    );
  }
}

export function errorReply(error: LlmSimulatorRequestError): Reply {
  return openaiErrorReply(requestErrorAsSimulated(error));
}

export function notFoundReply(method: string, path: string): Reply {
  return {
    status: 404,
    body: { error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: 'unknown_url' } },
  };
}

export function serverErrorReply(error: unknown): Reply {
  return openaiErrorReply(unexpectedErrorAsSimulated(error));
}

/**
 * Aborts when the client goes away before its answer is written, or when the simulator closes:
 * pending latencies and hung `timeout` calls end then, so nothing outlives its connection.
 * No AbortSignal.any: listeners on the long-lived closing signal are removed with each response.
 */
export function requestSignal(res: ServerResponse, closing: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => controller.abort(closing.reason);
  if (closing.aborted) abort();
  closing.addEventListener('abort', abort, { once: true });
  res.once('close', () => {
    closing.removeEventListener('abort', abort);
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection before the answer'));
  });
  return controller.signal;
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}
