#!/usr/bin/env node
// Validates deploy/kubernetes/ against the Kubernetes API schemas (npm `kubernetes-models`,
// pinned in package.json: generated from the Kubernetes OpenAPI spec), then checks the promises
// the manifests make to an operator: probes, drain time, disruption budget, autoscaling and
// ingress all point at the right things. Part of `npm run check`; no cluster needed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'deploy', 'kubernetes');
const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

/** apps/v1 + Deployment -> kubernetes-models/apps/v1/Deployment; v1 + Service -> v1/Service. */
async function modelOf(apiVersion, kind) {
  try {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
const objects = [];
for (const file of files) {
  let docs;
  try {
    docs = yaml.loadAll(readFileSync(path.join(dir, file), 'utf8')).filter(Boolean);
  } catch (error) {
    problem(file, `not YAML: ${error.message}`);
    continue;
  }
  for (const doc of docs) {
    const where = `${file} ${doc.kind ?? '?'}/${doc.metadata?.name ?? '?'}`;
    if (doc.kind === 'Kustomization') {
      for (const resource of doc.resources ?? [])
        if (!files.includes(resource)) problem(where, `lists ${resource}, which does not exist`);
      continue;
    }
    const Model = await modelOf(doc.apiVersion, doc.kind);
    if (!Model) {
      problem(where, `unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      problem(where, error.message);
    }
    objects.push({ file, where, doc });
  }
}

const find = (kind, name) =>
  objects.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name)?.doc;
const backend = find('Deployment', 'hintbook-backend');
if (!backend) problem('backend.yaml', 'no Deployment hintbook-backend');
else {
  const pod = backend.spec.template.spec;
  const container = pod.containers[0];
  const labels = backend.spec.template.metadata.labels;
  const selects = (selector) =>
    Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
  if (!selects(backend.spec.selector.matchLabels))
    problem('backend.yaml', 'the selector does not match the pod labels');
  if (container.readinessProbe?.httpGet?.path !== '/api/health')
    problem('backend.yaml', 'readiness must probe /api/health (database, migrations, draining)');
  if (container.livenessProbe?.httpGet?.path !== '/health')
    problem('backend.yaml', 'liveness must probe /health (never the database)');
  if ((backend.spec.replicas ?? 1) < 2) problem('backend.yaml', 'several replicas expected');
  if ((pod.terminationGracePeriodSeconds ?? 30) < 45)
    problem('backend.yaml', 'terminationGracePeriodSeconds must leave DRAIN_TIMEOUT (30 s) room');
  if (backend.spec.strategy?.rollingUpdate?.maxUnavailable !== 0)
    problem('backend.yaml', 'a rolling update must not take a backend away before its successor');
  const refs = (container.envFrom ?? []).map((from) => from.secretRef?.name).filter(Boolean);
  if (!refs.includes('hintbook-secrets'))
    problem(
      'backend.yaml',
      'DATABASE_URL and REDIS_URL must come from the hintbook-secrets Secret',
    );
  const config = find('ConfigMap', 'hintbook-config');
  if (Number(config?.data?.BACKEND_REPLICAS ?? 1) < 2)
    problem('config.yaml', 'BACKEND_REPLICAS must declare several replicas (REDIS_URL enforced)');
  const pdb = find('PodDisruptionBudget', 'hintbook-backend');
  if (!pdb || !Object.entries(pdb.spec.selector.matchLabels).every(([k, v]) => labels[k] === v))
    problem('backend-scaling.yaml', 'a PodDisruptionBudget must select the backend pods');
  const hpa = find('HorizontalPodAutoscaler', 'hintbook-backend');
  if (hpa?.spec.scaleTargetRef.name !== 'hintbook-backend')
    problem('backend-scaling.yaml', 'the HPA must scale the backend Deployment');
  else if (!hpa.spec.metrics?.some((metric) => metric.resource?.name === 'cpu'))
    problem('backend-scaling.yaml', 'the HPA must scale on CPU');
  else if (hpa.spec.minReplicas < (pdb?.spec.minAvailable ?? 0) + 1)
    problem('backend-scaling.yaml', 'minReplicas must exceed the budget, or nodes never drain');
}
const ingress = objects.find(({ doc }) => doc.kind === 'Ingress')?.doc;
const annotations = ingress?.metadata?.annotations ?? {};
if (Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'] ?? 60) < 3600)
  problem('ingress.yaml', 'idle WebSockets need proxy-read-timeout of an hour');
// The headers that make cross-origin isolation work come from the web image's nginx templates.
const locations = readFileSync(path.join(root, 'nginx/templates/locations.conf.template'), 'utf8');
for (const header of ['Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy'])
  if (!locations.includes(`add_header ${header}`))
    problem('nginx/templates', `the web pods no longer send ${header}`);

if (problems.length > 0) {
  console.error(`deploy/kubernetes is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`deploy/kubernetes: ${objects.length} objects valid (kubernetes-models schemas)`);
