#!/usr/bin/env node
// Fails when two backend domains depend on each other, directly or around a longer loop
// (docs/architecture.md, "No import cycles"). dependency-cruiser's `no-circular` sees cycles
// between files; this sees them between rooms: chat → users → chat is a cycle even when no file
// of it is. Its folder-scope rules were tried first, but they count test files and every folder
// level (src/lib, src/ai, …), so the loops they report run through shared code and tests.
//
// It reads the graph dependency-cruiser resolves with the same config (type-only imports
// included), keeps product files under src/modules/<domain>/, reduces it to one node per domain
// and looks for strongly connected components. Run from backend/ (npm run check:imports), or
// from any folder holding a src/ tree with a tsconfig.json, as import-rules.test.ts does.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const { TEST_CODE, DOMAIN_FILE } = require('../code-kinds.cjs');
const CONFIG = fileURLToPath(new URL('../.dependency-cruiser.cjs', import.meta.url));
/** A root devDependency (package.json); the same CLI `npm run check:imports` runs. */
const CLI = fileURLToPath(
  new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url),
);

const testCode = new RegExp(TEST_CODE);
const domainFile = new RegExp(DOMAIN_FILE);
const domainOf = (file) => (testCode.test(file) ? undefined : domainFile.exec(file)?.[1]);

/** domain → (domain it imports → the file pairs that make the edge). */
function domainGraph(modules) {
  const graph = new Map();
  for (const module of modules) {
    const from = domainOf(module.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const dependency of module.dependencies) {
      const to = domainOf(dependency.resolved);
      if (!to || to === from) continue;
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to).push(`${module.source} → ${dependency.resolved}`);
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one domain: each holds a cycle. */
function cyclicComponents(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** The shortest loop from the component's first domain back to itself, for the message. */
function loopThrough(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node)?.keys() ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let step = node; step !== start; step = cameFrom.get(step)) path.splice(1, 0, step);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return component;
}

const run = promisify(execFile);
const args = [CLI, '--config', CONFIG, '--output-type', 'json', 'src'];
// The CLI exits non-zero when a file rule is broken (check:imports reports those); the graph is
// on stdout either way.
const { stdout } = await run(process.execPath, args, { maxBuffer: 256 * 1024 * 1024 }).catch(
  (error) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  },
);
const graph = domainGraph(JSON.parse(stdout).modules);
const components = cyclicComponents(graph);
if (components.length === 0) {
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.size, 0);
  console.log(`✔ no import cycles between ${graph.size} domains (${edges} domain edges)`);
  process.exit(0);
}
for (const component of components) {
  console.error(`error no-domain-cycle: ${loopThrough(graph, component).join(' → ')}`);
  for (const from of component) {
    for (const [to, files] of graph.get(from) ?? []) {
      if (!component.includes(to)) continue;
      console.error(`    ${from} → ${to}:`);
      for (const file of files) console.error(`      ${file}`);
    }
  }
}
console.error(
  `\nx ${components.length} domain cycle(s). A service that needs another domain's data takes a ` +
    'function as a dependency (wired in app.ts), or the code moves to the domain that owns it.',
);
process.exit(1);
