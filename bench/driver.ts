// `npm run bench -- NAME`: runs bench/NAME.ts, which returns its figures; the driver adds the machine,
// Node version and commit, and prints one JSON line last.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const name = process.argv[2];
const benches = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) => f.endsWith('.ts') && !['driver.ts', 'support.ts'].includes(f)).map((f) => f.slice(0, -3));
if (!name || !benches.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${benches.join(', ')})`);
  process.exit(2);
}
const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
if (!existsSync(file)) throw new Error(`bench/${name}.ts not found`);
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const mod = (await import(file)) as { run: (args: string[]) => Promise<Record<string, unknown>> };
const startedAt = Date.now();
const figures = await mod.run(process.argv.slice(3));
console.log(JSON.stringify({
  bench: name,
  ...figures,
  wallMs: Date.now() - startedAt,
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, commit },
}));
process.exit(0);
