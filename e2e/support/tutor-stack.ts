/**
 * The stack most browser tests need: the real stack behind nginx with the tutor on the real
 * OpenAI SDK, pointed at the project's fake OpenAI server (in the test process, scriptable),
 * started once per file and torn down after it; the backend's log is printed when a test fails.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFakeOpenAI, type FakeServer } from '../../backend/src/test/fake-providers/index.js';
import { startStack, type StartStackOptions, type Stack } from './stack.js';

export function useTutorStack(
  options: Omit<StartStackOptions, 'env'> & { env?: Record<string, string> } = {},
) {
  let fake: FakeServer | undefined;
  let stack: Stack | undefined;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    stack = await startStack({
      ...options,
      env: {
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: 'test',
        CHAT_TURNS_PER_MINUTE: '100',
        ...options.env,
      },
    });
  });

  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && stack) console.error(stack.logs());
  });

  afterAll(async () => {
    await stack?.stop();
    await fake?.close();
  });

  return {
    fake: () => fake!,
    stack: () => stack!,
  };
}
