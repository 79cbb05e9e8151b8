/**
 * Offline schema check of the deployment files: infra/compose/compose.yaml against the Compose
 * Specification schema, and every document under infra/k8s against the Kubernetes JSON schema of
 * its kind (both vendored under infra/schemas). Where a Docker client with the compose plugin
 * exists, `docker compose config` must accept the compose file too.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import Ajv7 from 'ajv';
import addFormats from 'ajv-formats';
import { CORE_SCHEMA, loadAll, mergeTag } from 'js-yaml';

const ROOT = join(__dirname, '..', '..');
const SCHEMAS = join(ROOT, 'infra', 'schemas');
const COMPOSE_FILE = join(ROOT, 'infra', 'compose', 'compose.yaml');
const K8S_DIR = join(ROOT, 'infra', 'k8s');

/** YAML as Compose and kubectl read it, with `<<` merge keys resolved. */
function parseYaml(path: string): unknown[] {
  return loadAll(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }).filter(
    (doc) => doc !== null && doc !== undefined,
  );
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function errorsText(errors: unknown): string {
  return JSON.stringify(errors, null, 1);
}

describe('compose file', () => {
  const [compose] = parseYaml(COMPOSE_FILE) as Array<{
    services: Record<
      string,
      {
        healthcheck?: unknown;
        depends_on?: Record<string, { condition: string }>;
        environment?: Record<string, string>;
      }
    >;
  }>;
  const ajv = new Ajv7({ allErrors: true, strict: false });
  addFormats(ajv);
  // The schema names draft-07 without the trailing '#', which Ajv does not recognise; it is
  // draft-07, Ajv's default.
  const { $schema: _draft, ...composeSchema } = readJson(join(SCHEMAS, 'compose-spec.json'));
  const validate = ajv.compile(composeSchema);

  it('is valid against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(errorsText(validate.errors)).toBe(errorsText(null));
    expect(valid).toBe(true);
  });

  it('the schema check can fail: an unknown service key and a bad condition are rejected', () => {
    const broken = structuredClone(compose);
    (broken.services.api as Record<string, unknown>).restart_policy = 'always';
    broken.services['worker-1'].depends_on = { migrate: { condition: 'service_done' } };
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(
      expect.arrayContaining(['/services/api', '/services/worker-1/depends_on/migrate/condition']),
    );
  });

  it('has Postgres, Temporal with its UI, the migration job, the API and two workers, with health checks', () => {
    const services = compose.services;
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'temporal',
        'temporal-ui',
        'migrate',
        'api',
        'worker-1',
        'worker-2',
      ]),
    );
    for (const name of ['postgres', 'temporal', 'api', 'worker-1', 'worker-2']) {
      expect({ name, healthcheck: Boolean(services[name].healthcheck) }).toEqual({
        name,
        healthcheck: true,
      });
    }
    for (const name of ['api', 'worker-1', 'worker-2']) {
      expect(services[name].depends_on?.migrate).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(services[name].environment).toMatchObject({
        NODE_ENV: 'production',
        TEMPORAL_ADDRESS: 'temporal:7233',
      });
    }
    expect(services.temporal.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(services['worker-1'].environment?.WORKER_IDENTITY).not.toEqual(
      services['worker-2'].environment?.WORKER_IDENTITY,
    );
  });

  const docker = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const hasCompose = docker.status === 0;
  (hasCompose ? it : it.skip)('is accepted by `docker compose config`', () => {
    const result = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--quiet'], {
      encoding: 'utf8',
      env: { ...process.env, JWT_SECRET: 'compose-config-check-secret' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('Kubernetes manifests', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(readJson(join(SCHEMAS, 'kubernetes', '_definitions.json')));
  const kindFiles = readdirSync(join(SCHEMAS, 'kubernetes')).filter(
    (f) => f.endsWith('.json') && !f.startsWith('_'),
  );
  const schemaFor = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const file of kindFiles) {
    const schema = readJson(join(SCHEMAS, 'kubernetes', file));
    const gvk = (
      schema['x-kubernetes-group-version-kind'] as Array<{
        group: string;
        version: string;
        kind: string;
      }>
    )[0];
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    schemaFor.set(`${apiVersion} ${gvk.kind}`, ajv.compile(schema));
  }

  interface Manifest {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
    spec?: Record<string, unknown>;
    data?: Record<string, string>;
  }
  const files = readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml'));
  const documents = files.flatMap((file) =>
    (parseYaml(join(K8S_DIR, file)) as Manifest[]).map((doc) => ({ file, doc })),
  );

  it.each(documents.map(({ file, doc }) => [`${file}: ${doc.kind} ${doc.metadata?.name}`, doc]))(
    '%s is valid against its Kubernetes schema',
    (_, doc) => {
      const validate = schemaFor.get(`${doc.apiVersion} ${doc.kind}`);
      expect(
        validate ? 'schema found' : `no vendored schema for ${doc.apiVersion} ${doc.kind}`,
      ).toBe('schema found');
      const valid = validate!(doc);
      expect(errorsText(validate!.errors)).toBe(errorsText(null));
      expect(valid).toBe(true);
    },
  );

  it('the schema check can fail: a misspelt container field and a string replica count are rejected', () => {
    const deployment = documents.find((d) => d.doc.kind === 'Deployment')!.doc;
    const broken = structuredClone(deployment) as Manifest & {
      spec: {
        replicas: unknown;
        template: { spec: { containers: Array<Record<string, unknown>> } };
      };
    };
    broken.spec.replicas = 'two';
    broken.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    const validate = schemaFor.get('apps/v1 Deployment')!;
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(
      expect.arrayContaining(['/spec/replicas', '/spec/template/spec/containers/0']),
    );
  });

  it('has the API (Deployment, Service, Ingress), workers with an autoscaler, the migration Job, config and secrets', () => {
    const kinds = documents.map(({ doc }) => `${doc.kind}/${doc.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Deployment/duban-api',
        'Service/duban-api',
        'Ingress/duban',
        'Deployment/duban-worker',
        'HorizontalPodAutoscaler/duban-worker',
        'Job/duban-migrate',
        'CronJob/duban-audit-archive',
        'ConfigMap/duban-config',
        'Secret/duban-secrets',
      ]),
    );
    for (const { doc } of documents) {
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace).toBe('duban');
    }
    const config = documents.find((d) => d.doc.kind === 'ConfigMap')!.doc;
    // Temporal's Helm chart, release "temporal" in namespace "temporal".
    expect(config.data?.TEMPORAL_ADDRESS).toBe('temporal-frontend.temporal:7233');
    expect(config.data?.NODE_ENV).toBe('production');
  });
});
