// The settings of every secured connection, read together so the doctor can list which are set:
// Temporal and Kafka security, and the two secrets that may come from files too (DATABASE_URL, whose
// sslmode / sslrootcert pg honours, and LLM_API_KEY).
import { readKafkaSecurity, type KafkaSecurity } from './kafka-security';
import { readSetting, type EnvReader, type SettingSources } from './secrets';
import { readTemporalSecurity, type TemporalSecurity } from './temporal-security';

export interface SecuredConnections {
  readonly temporal: TemporalSecurity;
  readonly kafka: KafkaSecurity;
  readonly databaseUrl?: string;
  readonly llmApiKey?: string;
  /** Which settings are set and where from; never their values. */
  readonly sources: SettingSources;
}

export function readSecuredConnections(env: NodeJS.ProcessEnv, problems: string[]): SecuredConnections {
  const reader: EnvReader = { env, problems, sources: {} };
  return {
    temporal: readTemporalSecurity(reader),
    kafka: readKafkaSecurity(reader),
    databaseUrl: readSetting(reader, 'DATABASE_URL'),
    llmApiKey: readSetting(reader, 'LLM_API_KEY'),
    sources: reader.sources,
  };
}
