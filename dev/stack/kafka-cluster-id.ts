// The KRaft cluster ID that formats a broker's storage: a Kafka UUID, i.e. 16 bytes written as 22
// characters of unpadded base64url.
import { randomBytes } from 'node:crypto';
import { KafkaClusterIdError } from './errors';

const UUID_BYTES = 16;
const BASE64URL_22 = /^[A-Za-z0-9_-]{22}$/;

/**
 * A fresh cluster ID, drawn the way Kafka's own Uuid.randomUuid() draws one: never all zeros nor
 * Kafka's reserved metadata-topic ID (0, 1), and never starting with '-', which command-line parsers
 * take for a flag. About one draw in 64 starts with '-', so without this a stack start would fail
 * that often.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(UUID_BYTES).toString('base64url');
    if (!id.startsWith('-') && !isReserved(id)) return id;
  }
}

/** Accepts any valid Kafka UUID (a leading '-' included: StorageTool gets it as `--cluster-id=<id>`). */
export function checkClusterId(id: string): string {
  if (!BASE64URL_22.test(id) || Buffer.from(id, 'base64url').length !== UUID_BYTES) {
    throw new KafkaClusterIdError(id, 'is not 16 bytes of unpadded base64url (22 characters of A-Z a-z 0-9 - _)');
  }
  if (isReserved(id)) throw new KafkaClusterIdError(id, 'is reserved by Kafka (all zeros, or the metadata topic ID)');
  return id;
}

// Kafka reserves the all-zero UUID and (0, 1), the ID of its metadata topic.
function isReserved(id: string): boolean {
  const bytes = Buffer.from(id, 'base64url');
  return bytes.subarray(0, UUID_BYTES - 1).every((b) => b === 0) && bytes[UUID_BYTES - 1] <= 1;
}
