import type { Router } from 'express';
import request from 'supertest';
import { registerAdmin, registerThroughApi, type SignedInUser } from './factories.js';
import type { TestApp } from './harness.js';

export const ADMIN_EMAIL = 'teacher@school.example';

/** Registers the admin (listed in ADMIN_EMAIL, confirmed by the operator) and a student. */
export async function adminAndStudent(t: TestApp) {
  const admin = await registerAdmin(t, {
    email: ADMIN_EMAIL,
    username: `teacher${Date.now()}`,
  });
  const student = await registerThroughApi(t.app);
  return { admin, student };
}

export function asUser(t: TestApp, user: SignedInUser) {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${user.accessToken}`);
  return {
    get: (path: string) => auth(request(t.app).get(path)),
    post: (path: string) => auth(request(t.app).post(path)),
    put: (path: string) => auth(request(t.app).put(path)),
    patch: (path: string) => auth(request(t.app).patch(path)),
    delete: (path: string) => auth(request(t.app).delete(path)),
  };
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: LayerLike[] };
}

/** Every [METHOD, path] an Express router serves, sub-routers included. */
export function listRoutes(router: Router, prefix = ''): Array<[string, string]> {
  const routes: Array<[string, string]> = [];
  for (const layer of (router as unknown as { stack: LayerLike[] }).stack) {
    if (layer.route) {
      for (const [method, isOn] of Object.entries(layer.route.methods)) {
        if (isOn && method !== '_all') {
          routes.push([
            method.toUpperCase(),
            `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1'),
          ]);
        }
      }
    } else if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      routes.push(...listRoutes(layer.handle as unknown as Router, `${prefix}${mount}`));
    }
  }
  return routes;
}
