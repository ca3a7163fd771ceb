import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.js';

// The quick start has no nginx: the backend serves the SPA and JupyterLite itself, with the
// headers Pyodide needs (cross-origin isolation) and the same cache rules as nginx.
let t: TestApp;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hintbook-static-'));
  const spa = path.join(root, 'spa');
  const lite = path.join(root, 'lite');
  for (const dir of [
    path.join(spa, 'assets'),
    path.join(lite, 'build'),
    path.join(lite, 'static', 'pyodide'),
    path.join(lite, 'static', 'pyodide-0123456789abcdef'),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(spa, 'index.html'), '<div id="root"></div>');
  writeFileSync(path.join(spa, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(lite, 'index.html'), '<html>lite</html>');
  writeFileSync(path.join(lite, 'build', 'bundle.0123456789abcdef.js'), '1');
  writeFileSync(path.join(lite, 'build', 'jlab_core.a86436d.js'), '1');
  writeFileSync(path.join(lite, 'build', 'bootstrap.js'), '1');
  writeFileSync(path.join(lite, 'static', 'pyodide', 'pyodide.mjs'), 'export {}');
  writeFileSync(
    path.join(lite, 'static', 'pyodide', 'pyodide.asm.wasm'),
    Buffer.from([0, 97, 115, 109]),
  );
  writeFileSync(
    path.join(
      lite,
      'static',
      'pyodide-0123456789abcdef',
      'numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl',
    ),
    'wheel',
  );
  writeFileSync(path.join(lite, 'static', 'pyodide-0123456789abcdef', 'pyodide-lock.json'), '{}');
  t = await createTestApp({ SERVE_STATIC: 'true', STATIC_DIR: spa, JUPYTERLITE_DIR: lite });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

function expectIsolated(response: request.Response) {
  expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
}

describe('static files without nginx', () => {
  it('serves the SPA for client routes, isolated, with hashed assets cached forever', async () => {
    const page = await request(t.app).get('/chat/123').expect(200);
    expect(page.text).toContain('id="root"');
    expect(page.headers['cache-control']).toBe('no-cache');
    expectIsolated(page);
    const asset = await request(t.app).get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('serves JupyterLite isolated, with module and wasm types, its own CSP and the cache rules', async () => {
    const mjs = await request(t.app).get('/jupyterlite/static/pyodide/pyodide.mjs').expect(200);
    expect(mjs.headers['content-type']).toMatch(/javascript/);
    expect(mjs.headers['cache-control']).toBe('no-cache');
    expect(mjs.headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
    expectIsolated(mjs);
    const wasm = await request(t.app)
      .get('/jupyterlite/static/pyodide/pyodide.asm.wasm')
      .expect(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    const hashed = await request(t.app)
      .get('/jupyterlite/build/bundle.0123456789abcdef.js')
      .expect(200);
    expect(hashed.headers['cache-control']).toContain('immutable');
    const shortHash = await request(t.app)
      .get('/jupyterlite/build/jlab_core.a86436d.js')
      .expect(200);
    expect(shortHash.headers['cache-control']).toContain('immutable');
    const unhashed = await request(t.app).get('/jupyterlite/build/bootstrap.js').expect(200);
    expect(unhashed.headers['cache-control']).toBe('no-cache');
    await request(t.app).get('/jupyterlite/missing.js').expect(404);
  });

  it('serves the content-hashed Pyodide folder immutable, wheels and lock included', async () => {
    for (const file of ['numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl', 'pyodide-lock.json']) {
      const response = await request(t.app)
        .get(`/jupyterlite/static/pyodide-0123456789abcdef/${file}`)
        .expect(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expectIsolated(response);
    }
  });

  it('never answers an unknown API path with the SPA page', async () => {
    const response = await request(t.app).get('/api/nope').expect(404);
    expect(response.body.error.code).toBe('request.not_found');
  });
});
