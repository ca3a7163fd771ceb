import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeServer } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function chat(baseUrl: string) {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5-mini', stream: true, messages: [] }),
  });
  return { status: response.status, text: await response.text() };
}

describe('fake server control API', () => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('is scripted and inspected over HTTP by another process', async () => {
    fake = await startFakeOpenAI();
    await fetch(`${fake.url}/__fake/script`, {
      method: 'POST',
      body: JSON.stringify([
        { error: { status: 429, retryAfter: '2' } },
        { chunks: ['over', ' http'] },
      ]),
    });
    const limited = await chat(fake.baseUrl);
    const streamed = await chat(fake.baseUrl);
    expect(limited.status).toBe(429);
    expect(streamed.text).toContain('"content":"over"');
    expect(streamed.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const calls = (await (await fetch(`${fake.url}/__fake/calls`)).json()) as Array<{
      path: string;
    }>;
    expect(calls.map((call) => call.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
    await fetch(`${fake.url}/__fake/reset`, { method: 'POST' });
    expect(fake.calls).toHaveLength(0);
  });

  it('uses the default script once the queue is empty', async () => {
    fake = await startFakeOpenAI();
    await fetch(`${fake.url}/__fake/default`, {
      method: 'PUT',
      body: JSON.stringify({ error: { status: 503 } }),
    });
    expect((await chat(fake.baseUrl)).status).toBe(503);
    expect((await chat(fake.baseUrl)).status).toBe(503);
  });

  it('closes even while a stream is stalled', async () => {
    fake = await startFakeOpenAI();
    fake.enqueue({ stallAfterChunks: 0 });
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ stream: true }),
    });
    expect(response.status).toBe(200);
    await fake.close();
    fake = undefined;
    await expect(response.text()).rejects.toThrow();
  });

  it('runs standalone from the serve CLI and prints where it listens', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'serve.ts'), 'gemini', '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as { vendor: string; url: string; baseUrl: string };
      expect(info.vendor).toBe('gemini');
      const response = await fetch(
        `${info.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent`,
        {
          method: 'POST',
          body: JSON.stringify({ contents: [] }),
        },
      );
      expect(await response.json()).toMatchObject({
        candidates: [{ content: { parts: [{ text: 'Hello from the fake' }] } }],
      });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
