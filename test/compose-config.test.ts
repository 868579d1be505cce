// docker-compose.yml and the Dockerfile against the code: every variable they give our services is
// one config.ts reads (a misspelt name would be ignored silently and the default used), every
// variable a deployment needs (ops/deployment-env.ts) is set, and the settings that must agree
// (retention, search attributes, probe port) do. Reads files only; no service is needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { configEnvKeys } from '../config';
import { REQUIRED_DEPLOYMENT_ENV, unmetRequirements, type ServiceRole } from '../ops/deployment-env';
import * as searchAttributes from '../workflows/search-attributes';

const root = new URL('..', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number | string };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService>; 'x-retention': Record<string, string> };

/** The services that run our image, by their role (the `kta` command they run). */
const ours = Object.entries(compose.services)
  .filter(([, s]) => s.build !== undefined)
  .map(([name, s]) => ({ name, role: s.command?.[0] as ServiceRole, service: s }));

/** ENV of the Dockerfile's last stage: what every container of the image starts with. */
function dockerfileEnv(): Record<string, string> {
  const stages = read('Dockerfile').replace(/\\\n/g, ' ').split(/^FROM /m);
  const env: Record<string, string> = {};
  for (const line of stages.at(-1)!.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [k, ...v] = pair.split('=');
      env[k] = v.join('=');
    }
  }
  return env;
}

const known = new Set(configEnvKeys());
const unknownVariables = (names: Iterable<string>) => [...names].filter((n) => !known.has(n));
const envOf = (s: ComposeService) => new Set([...Object.keys(dockerfileEnv()), ...Object.keys(s.environment ?? {})]);

test('the compose file runs our image as bridge, worker and relay, and the relay as one replica', () => {
  assert.deepEqual(ours.map((o) => `${o.name}:${o.role}`).sort(), ['bridge:bridge', 'relay:relay', 'worker:worker']);
  assert.equal(Number(compose.services.relay.deploy?.replicas), 1, 'a second relay with the same transactional ID would fence the first');
});

test('every variable docker-compose.yml and the Dockerfile give our services is one config.ts reads', () => {
  // The check itself: a misspelt name is caught.
  assert.deepEqual(unknownVariables(['TEMPORAL_ADRESS', 'KAFKA_BROKERS']), ['TEMPORAL_ADRESS']);
  assert.deepEqual(unknownVariables(Object.keys(dockerfileEnv()).filter((k) => k !== 'NODE_ENV')), [], 'Dockerfile ENV');
  for (const { name, service } of ours) {
    assert.deepEqual(unknownVariables(Object.keys(service.environment ?? {})), [], `service ${name} sets variables config.ts does not read`);
  }
});

test('every service of ours gets what a deployment requires, and the bridge names the provider and model the workers use', () => {
  // The check itself: a service without a database URL is caught.
  assert.deepEqual(unmetRequirements('relay', new Set(['KAFKA_BROKERS', 'METRICS_PORT', 'METRICS_HOST', 'RELAY_TRANSACTIONAL_ID'])).map((r) => r.anyOf), [['DATABASE_URL', 'DATABASE_URL_FILE']]);
  for (const { name, role, service } of ours) {
    assert.ok(REQUIRED_DEPLOYMENT_ENV[role], `no requirements for role ${role}`);
    const unmet = unmetRequirements(role, envOf(service)).map((r) => `${r.anyOf.join(' or ')} (${r.why})`);
    assert.deepEqual(unmet, [], `service ${name} misses required variables`);
  }
  const { bridge, worker } = compose.services;
  assert.equal(bridge.environment?.LLM_PROVIDER, worker.environment?.LLM_PROVIDER);
  assert.equal(bridge.environment?.LLM_MODEL, worker.environment?.LLM_MODEL);
  assert.equal(bridge.environment?.TEMPORAL_NAMESPACE, compose.services['temporal-namespace'].environment?.TEMPORAL_NAMESPACE);
  assert.equal(bridge.environment?.LLM_API_KEY, undefined, 'the bridge never calls the model, so it gets no key');
});

test('health checks probe /readyz on the port our services serve, and our services start only after Temporal, its namespace, Kafka\'s topics and PostgreSQL', () => {
  for (const { name, service } of ours) {
    const port = String(service.environment?.METRICS_PORT ?? dockerfileEnv().METRICS_PORT);
    assert.ok(service.healthcheck?.test.join(' ').includes(`http://127.0.0.1:${port}/readyz`), `service ${name} probes /readyz on ${port}`);
    assert.deepEqual(service.depends_on, {
      postgresql: { condition: 'service_healthy' },
      'kafka-topics': { condition: 'service_completed_successfully' },
      'temporal-namespace': { condition: 'service_completed_successfully' },
    });
  }
  for (const dependency of ['postgresql', 'kafka', 'temporal']) assert.ok(compose.services[dependency].healthcheck, `${dependency} has a health check`);
});

test('the namespace keeps runs at least as long as a routed topic can keep a record (retention.ms plus one segment.ms)', () => {
  const retention = compose['x-retention'];
  const hours = /^(\d+)h$/.exec(retention['namespace-retention']);
  assert.ok(hours, 'namespace retention in hours');
  const namespaceMs = Number(hours[1]) * 3_600_000;
  assert.ok(namespaceMs >= Number(retention['topic-retention-ms']) + Number(retention['topic-segment-ms']), JSON.stringify(retention));
  const topics = compose.services['kafka-topics'].environment ?? {};
  assert.equal(topics.KAFKA_TOPIC_RETENTION_MS, retention['topic-retention-ms']);
  assert.equal(topics.KAFKA_TOPIC_SEGMENT_MS, retention['topic-segment-ms']);
  assert.equal(compose.services['temporal-namespace'].environment?.TEMPORAL_NAMESPACE_RETENTION, retention['namespace-retention']);
});

test('the namespace setup registers exactly the search attributes the workflows set', () => {
  const script = read('deploy/temporal-namespace.sh');
  const listed = /for attribute in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/) ?? [];
  const wanted = Object.values(searchAttributes)
    .filter((v) => 'name' in v && 'type' in v)
    .map((k) => `${k.name}:${k.type}`.toLowerCase());
  assert.ok(wanted.length >= 5, `search attributes found in workflows/search-attributes.ts: ${wanted.join(', ')}`);
  assert.deepEqual(listed.map((a) => a.toLowerCase()).sort(), wanted.sort());
});
