// The record's identity beyond its coordinates: sha256 over key and value (length-prefixed so a key/value
// split cannot be shifted). Stored in the run's memo; a start that meets a run with another hash is a
// collision, not a duplicate.
import { createHash } from 'node:crypto';

export function recordHash(key: Buffer | null, value: Buffer | null): string {
  const h = createHash('sha256');
  for (const part of [key, value]) {
    const len = Buffer.alloc(5);
    if (part === null) len.writeUInt8(0, 0);
    else {
      len.writeUInt8(1, 0);
      len.writeUInt32BE(part.length, 1);
    }
    h.update(len);
    if (part) h.update(part);
  }
  return h.digest('hex');
}
