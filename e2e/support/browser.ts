/**
 * Debian's Chromium driven by playwright-core, with nothing allowed off the machine: every
 * request from a test context is routed, anything not addressed to loopback is aborted and
 * counted, and console errors, uncaught page errors and CSP violations are collected so a test
 * can assert there were none.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { repoRoot } from './nginx.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.join(repoRoot, 'e2e', 'artifacts');

/**
 * Headless Chromium with background services (updates, sync, safe browsing) switched off;
 * `extraArgs` adds switches (the stack test trusts its self-signed certificate that way).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** True for 127.0.0.0/8, ::1 and localhost (and its subdomains, which resolve to loopback). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/** Whether a URL may be fetched in a test: loopback hosts, and schemes that never leave the page. */
function isAllowedUrl(url: URL): boolean {
  if (['data:', 'blob:', 'about:'].includes(url.protocol)) return true;
  return isLoopbackHost(url.hostname);
}

export interface NetworkGuard {
  /** Every request aborted because it was leaving the machine (URL, in order). */
  blocked: string[];
}

/**
 * Routes every HTTP request and WebSocket of the context: loopback goes through, anything else
 * is aborted and recorded. Tests assert `blocked` is empty, so a stray CDN font or analytics
 * call fails the suite instead of silently reaching the internet.
 */
export async function guardNetwork(context: BrowserContext): Promise<NetworkGuard> {
  const guard: NetworkGuard = { blocked: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isAllowedUrl(new URL(url))) {
      await route.continue();
      return;
    }
    guard.blocked.push(url);
    await route.abort('blockedbyclient');
  });
  // Only non-loopback sockets are intercepted; loopback ones (socket.io) connect untouched.
  await context.routeWebSocket(
    (url) => !isAllowedUrl(url),
    async (socket) => {
      guard.blocked.push(socket.url());
      await socket.close({ code: 1008, reason: 'blocked by the e2e network guard' });
    },
  );
  return guard;
}

export interface CspViolation {
  directive: string;
  blockedUri: string;
  sourceFile: string;
  pageUrl: string;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  network: NetworkGuard;
  /** console.error output and browser-logged errors ("Failed to load resource", CSP, ...). */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** `securitypolicyviolation` events, reported from every document of the context. */
  cspViolations: CspViolation[];
  close(): Promise<void>;
}

/** A fresh context (no cookies, no storage) with the network guard and the error collectors. */
export async function openSession(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserSession> {
  const context = await browser.newContext(options);
  const network = await guardNetwork(context);
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: CspViolation[] = [];

  // Bindings and init scripts are injected by the DevTools protocol, so the page's own CSP does
  // not apply to them: they see violations the CSP causes without being one.
  await context.exposeBinding('__hintbookReportCsp', (_source, violation: CspViolation) => {
    cspViolations.push(violation);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as Record<string, (v: unknown) => void>)
        .__hintbookReportCsp;
      report?.({
        directive: event.effectiveDirective,
        blockedUri: event.blockedURI,
        sourceFile: event.sourceFile,
        pageUrl: document.location.href,
      });
    });
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    consoleErrors.push(url ? `${message.text()} (${url})` : message.text());
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    pageErrors.push(error.stack ?? `${error.name}: ${error.message}`);
  });

  const page = await context.newPage();
  return {
    context,
    page,
    network,
    consoleErrors,
    pageErrors,
    cspViolations,
    close: () => context.close(),
  };
}

/** Saves a full-page screenshot and the page's HTML into e2e/artifacts/; returns the PNG path. */
export async function saveFailureArtifacts(page: Page, testName: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  const base = path.join(artifactsDir, testName.replace(/[^\w.-]+/g, '-').slice(0, 120));
  await page.screenshot({ path: `${base}.png`, fullPage: true });
  await writeFile(`${base}.html`, await page.content());
  return `${base}.png`;
}

/**
 * Registers the hooks every browser test file needs: one Chromium for the file, a fresh
 * session per test, and on failure a screenshot plus the collected errors before it closes.
 * Call at the top of a file; read `current()` inside a test.
 */
export function useBrowserSessions(options: () => BrowserContextOptions = () => ({})) {
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    session = await openSession(browser!, options());
  });
  afterEach(async ({ task }) => {
    const ending = session;
    session = undefined;
    if (!ending) return;
    if (task.result?.state === 'fail') {
      const file = await saveFailureArtifacts(ending.page, task.name).catch(
        (error: unknown) => `(no screenshot: ${String(error)})`,
      );
      console.error(
        [
          `Browser test failed: ${task.name}`,
          `  page: ${ending.page.url()}`,
          `  screenshot: ${file}`,
          `  blocked requests: ${JSON.stringify(ending.network.blocked)}`,
          `  console errors: ${JSON.stringify(ending.consoleErrors, null, 2)}`,
          `  page errors: ${JSON.stringify(ending.pageErrors, null, 2)}`,
          `  CSP violations: ${JSON.stringify(ending.cspViolations, null, 2)}`,
        ].join('\n'),
      );
    }
    await ending.close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    current(): BrowserSession {
      if (!session) throw new Error('No browser session: call current() inside a test.');
      return session;
    },
  };
}
