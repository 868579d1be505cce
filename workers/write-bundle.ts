// Writes the workflow bundle to a file, once, at image build (Dockerfile) or before a deployment:
//   node --import tsx workers/write-bundle.ts /app/workflow-bundle.js
// Workers given WORKFLOW_BUNDLE_PATH load it as it is, so they start without webpack and without
// writing the generated entry (.kta/generated), which a read-only image could not hold anyway.
import { resolve } from 'node:path';
import { bundleWorkflowsTo } from './bundle';

const out = process.argv[2];
if (!out) {
  console.error('usage: node --import tsx workers/write-bundle.ts OUT.js');
  process.exit(2);
}
const file = await bundleWorkflowsTo(resolve(out));
console.error(`workflow bundle written to ${file}; give it to workers as WORKFLOW_BUNDLE_PATH=${file}`);
