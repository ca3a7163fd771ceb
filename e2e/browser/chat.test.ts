/**
 * The tutor chat in Chromium through nginx, on the built backend and SPA, with the AI vendor
 * replaced by the fake OpenAI server from the backend's test kit. The backend's real `openai`
 * SDK talks to the fake over loopback, so the whole path is real except the model: classification
 * call, streamed answer, socket.io through nginx, Markdown rendering in the page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type FakeScript, type RecordedCall } from '../../backend/src/test/fake-providers/index.js';
import { expectAccessible } from '../support/accessibility.js';
import { registerInBrowser } from '../support/accounts.js';
import { useBrowserSessions, type BrowserSession } from '../support/browser.js';
import { useTutorStack } from '../support/tutor-stack.js';

/** The backend's default answer model for OpenAI (OPENAI_MODEL); the classifier uses the small one. */
const ANSWER_MODEL = 'gpt-5-mini';

/**
 * One script answers both calls of a turn, whichever comes first: the classification call is not
 * streamed and gets `structured` as its JSON answer, the answer call is streamed and gets `chunks`.
 */
function turnScript(answer: Omit<FakeScript, 'structured'>): FakeScript {
  return {
    structured: {
      isNewProblem: true,
      isElaborationRequest: false,
      difficulty: { programming: 2, maths: 1 },
      problemSummary: 'A question about Python loops.',
    },
    ...answer,
  };
}

const tutor = useTutorStack();
let counter = 0;

const sessions = useBrowserSessions(() => ({ baseURL: tutor.stack().baseUrl }));

function expectCleanSession(session: BrowserSession) {
  expect(session.network.blocked, 'requests that tried to leave loopback').toEqual([]);
  expect(session.pageErrors, 'uncaught page errors').toEqual([]);
  expect(session.cspViolations, 'CSP violations').toEqual([]);
  // A signed-out first visit asks for no session with a 204, so no error is expected at all.
  expect(session.consoleErrors, 'console errors').toEqual([]);
}

/** Registers a fresh student in the UI and opens the tutor from the main navigation. */
async function registerAndOpenTutor(page: Page) {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  await registerInBrowser(page, `chat-${tag}@example.test`, `chat_${tag}`);

  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Tutor', exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Tutor' }).waitFor();
  await composer(page).waitFor();
}

function composer(page: Page) {
  return page.getByLabel('Your question');
}

function conversation(page: Page) {
  return page.getByRole('region', { name: 'Conversation' });
}

function question(page: Page) {
  return conversation(page).getByRole('article', { name: 'You asked' });
}

function answer(page: Page) {
  return conversation(page).getByRole('article', { name: 'The tutor answered' });
}

function stopButton(page: Page) {
  return page.getByRole('button', { name: 'Stop answer' });
}

/**
 * The answer's own text, without its header ("Tutor", the hint cue): the rendered Markdown, or
 * the plain text shown while the Markdown renderer is still loading.
 */
async function answerText(page: Page): Promise<string> {
  const text = await answer(page).evaluate(
    (article) => article.querySelector('.markdown, .message-plain')?.textContent ?? '',
  );
  return text.trim();
}

async function ask(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The calls the fake received for the answer (streamed, main model) to this question. */
function answerCalls(text: string): RecordedCall[] {
  return tutor.fake().calls.filter((call) => {
    const body = call.body as { stream?: boolean; model?: string; messages?: unknown } | undefined;
    return (
      body?.stream === true &&
      body.model === ANSWER_MODEL &&
      JSON.stringify(body.messages ?? []).includes(text)
    );
  });
}

function classificationCalls(text: string): RecordedCall[] {
  return tutor.fake().calls.filter((call) => {
    const body = call.body as { response_format?: unknown; messages?: unknown } | undefined;
    return (
      body?.response_format !== undefined && JSON.stringify(body.messages ?? []).includes(text)
    );
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the tutor chat in the browser', () => {
  it('streams an answer, stops it, and shows the partial answer again after a reload', async () => {
    const session = sessions.current();
    const { page } = session;
    const chunks = Array.from({ length: 50 }, (_, index) => `hint${index + 1} `);
    const fullAnswer = chunks.join('').trim();
    tutor.fake().setDefault(turnScript({ chunks, chunkDelayMs: 60 }));

    await registerAndOpenTutor(page);
    const asked = 'How do I loop over a list in Python?';
    await ask(page, asked);

    // The question shows at once and the page moves to the new conversation's address.
    await question(page).filter({ hasText: asked }).waitFor();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const sessionPath = new URL(page.url()).pathname;

    // Tokens arrive over time: two samples while the answer runs, the second one longer.
    await expect.poll(() => answerText(page), { timeout: 8_000 }).toMatch(/hint3\b/);
    const early = await answerText(page);
    await delay(400);
    const later = await answerText(page);
    expect(later.length).toBeGreaterThan(early.length);
    expect(later.startsWith(early)).toBe(true);
    expect(fullAnswer.startsWith(later)).toBe(true);
    expect(later).not.toBe(fullAnswer);
    expect(await conversation(page).getAttribute('aria-busy')).toBe('true');

    await stopButton(page).click();

    // The partial answer stays, marked as stopped; nothing more arrives.
    await answer(page).getByText('Stopped: this answer is incomplete.').waitFor();
    await expect.poll(() => stopButton(page).count()).toBe(0);
    const partial = await answerText(page);
    expect(partial.length).toBeGreaterThanOrEqual(later.length);
    expect(fullAnswer.startsWith(partial)).toBe(true);
    expect(partial).not.toBe(fullAnswer);
    await answer(page).getByRole('button', { name: 'Answer again' }).waitFor();
    await expectAccessible(page, 'the chat page with a stopped answer');
    await delay(300);
    expect(await answerText(page)).toBe(partial);

    // The composer is usable again: no answer running, Send enabled, typing works.
    expect(await conversation(page).getAttribute('aria-busy')).toBeNull();
    const send = page.getByRole('button', { name: 'Send', exact: true });
    expect(await send.getAttribute('aria-disabled')).toBeNull();
    await page.getByText('Enter sends · Shift+Enter adds a line').waitFor();
    await composer(page).fill('a follow-up draft');
    expect(await composer(page).inputValue()).toBe('a follow-up draft');
    await composer(page).fill('');

    // After a reload the conversation is listed and its history comes back from the server.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Tutor' }).waitFor();
    const sidebar = page.getByRole('navigation', { name: 'Your chats' });
    const listed = sidebar.getByRole('link', { name: asked });
    await listed.waitFor();
    expect(await listed.getAttribute('href')).toBe(sessionPath);

    // Open it from the sidebar, starting from an empty new chat.
    await sidebar.getByRole('button', { name: 'New chat' }).click();
    await page.waitForURL((url) => url.pathname === '/chat');
    await expect.poll(() => conversation(page).count()).toBe(0);
    await listed.click();
    await page.waitForURL((url) => url.pathname === sessionPath);
    await question(page).filter({ hasText: asked }).waitFor();
    await answer(page).getByText('Stopped: this answer is incomplete.').waitFor();
    expect(await question(page).count()).toBe(1);
    expect(await answer(page).count()).toBe(1);
    expect(await answerText(page)).toBe(partial);

    // One classification and one answer request reached the vendor: no retry after tokens were
    // shown. The answer went through the real SDK path, with the tutor's system prompt first.
    expect(classificationCalls(asked)).toHaveLength(1);
    const calls = answerCalls(asked);
    expect(calls).toHaveLength(1);
    const body = calls[0]!.body as {
      messages: Array<{ role: string; content: string }>;
      stream_options?: unknown;
    };
    expect(calls[0]!.path).toBe('/v1/chat/completions');
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content.length).toBeGreaterThan(100);
    expect(body.messages.at(-1)?.role).toBe('user');
    expect(body.messages.at(-1)?.content).toContain(asked);
    expect(body.stream_options).toEqual({ include_usage: true });

    expectCleanSession(session);
  });

  it('renders HTML, scripts and javascript: links in an answer inert', async () => {
    const session = sessions.current();
    const { page } = session;
    const markdown = [
      'Here is a hint, not the answer.',
      '',
      '<img src=x onerror="window.__xss=1">',
      '',
      '<script>window.__xss=2</script>',
      '',
      'Try [click me](javascript:window.__xss=3) or read [docs](https://docs.python.org/3/).',
      '',
      '```python',
      'for item in [1, 2, 3]:',
      '    print(item)',
      '```',
      '',
      'What does it print?',
    ].join('\n');
    // A few chunks, split inside the dangerous parts, as a real stream would.
    const chunks = markdown.match(/[\s\S]{1,23}/g)!;
    tutor.fake().setDefault(turnScript({ chunks, chunkDelayMs: 5 }));

    await registerAndOpenTutor(page);
    const asked = 'Can you show me how a for loop prints a list?';
    await ask(page, asked);

    // Finished: the last words are there and nothing is running.
    await answer(page).getByText('What does it print?').waitFor();
    await expect.poll(() => stopButton(page).count()).toBe(0);
    const list = conversation(page);
    await list.getByRole('button', { name: 'Copy code' }).waitFor();
    await expectAccessible(page, 'an answer with code, lists and links');

    // The HTML shows as text the tutor wrote, not as elements.
    const text = await answerText(page);
    expect(text).toContain('<img src=x onerror="window.__xss=1">');
    expect(text).toContain('<script>window.__xss=2</script>');
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await list.locator('img[src="x"]').count()).toBe(0);
    expect(await list.locator('img').count()).toBe(0);
    expect(await list.locator('script').count()).toBe(0);
    expect(await page.locator('[onerror]').count()).toBe(0);

    // The javascript: link is left as plain text; the https one is a real, safe link.
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    const clickMe = answer(page).getByText('click me', { exact: true });
    expect(await clickMe.count()).toBe(1);
    expect(await clickMe.evaluate((element) => element.closest('a') === null)).toBe(true);
    await clickMe.click();
    await delay(200);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(new URL(page.url()).pathname).toMatch(/^\/chat\/[0-9a-f-]{36}$/);

    const docs = answer(page).getByRole('link', { name: 'docs', exact: true });
    expect(await docs.getAttribute('href')).toBe('https://docs.python.org/3/');
    expect(await docs.getAttribute('target')).toBe('_blank');
    expect((await docs.getAttribute('rel'))?.split(' ')).toEqual(
      expect.arrayContaining(['noopener', 'noreferrer']),
    );

    // The fenced block is a highlighted code block with its copy button.
    const code = answer(page).locator('pre code.language-python');
    expect(await code.textContent()).toBe('for item in [1, 2, 3]:\n    print(item)');
    expect(await answer(page).getByRole('button', { name: 'Copy code' }).count()).toBe(1);

    expect(answerCalls(asked)).toHaveLength(1);
    expectCleanSession(session);
  });

  it('cites the course material an answer drew on, and a citation opens its notebook', async () => {
    const session = sessions.current();
    const { page } = session;
    tutor.fake().setDefault(turnScript({ chunks: ['Which ', 'list would you ', 'loop over?'] }));

    await registerAndOpenTutor(page);
    const asked = 'How does a for loop go through every item of a list?';
    await ask(page, asked);
    await expect
      .poll(() => answerText(page), { timeout: 8_000 })
      .toBe('Which list would you loop over?');

    // The seeded starter module was indexed at boot; the tutor was given its passages, cited.
    const [call] = answerCalls(asked);
    const system = JSON.stringify((call!.body as { messages: unknown }).messages);
    expect(system).toContain('[Getting started with Python · 2. Lists and loops · cell');

    const sources = answer(page).getByRole('complementary', {
      name: 'Course material this answer draws on',
    });
    const firstLink = sources
      .getByRole('link', { name: /^Getting started with Python · / })
      .first();
    await firstLink.waitFor();
    await expectAccessible(page, 'an answer citing the course');
    const citation = (await firstLink.textContent()) ?? '';
    // Passages of one notebook are one citation listing its cells.
    expect(citation).toMatch(/^Getting started with Python · [^·]+ · cells? \d+(, \d+)*$/);

    // Still there after a reload: the citations are stored with the answer.
    await page.reload();
    await answer(page)
      .getByRole('complementary', { name: 'Course material this answer draws on' })
      .getByRole('link', { name: citation, exact: true })
      .click();
    await page.waitForURL(/\/modules\/[0-9a-f-]{36}\/notebooks\/[0-9a-f-]{36}$/);
    const notebookTitle = citation.split(' · ')[1]!;
    await page.getByRole('heading', { level: 1, name: notebookTitle }).waitFor();
    expectCleanSession(session);
  });
});
