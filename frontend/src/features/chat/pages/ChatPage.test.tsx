import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, LearningModule, MyUsageResponse } from '@hintbook/contracts';
import { createFakeRealtime } from '../../../test/fake-realtime';
import { jsonResponse } from '../../../test/fetch-mock';
import { buildSession, renderSignedIn } from '../../../test/render-app';

const SESSION = '7d1f2f0e-1111-4c4c-8888-000000000001';
const TURN = '7d1f2f0e-1111-4c4c-8888-0000000000a1';

function buildUsage(overrides: Partial<MyUsageResponse> = {}): MyUsageResponse {
  return {
    day: { usedTokens: 100, limitTokens: 1000, resetsAt: '2030-01-01T00:00:00.000Z' },
    week: { usedTokens: 100, limitTokens: null, resetsAt: '2030-01-05T00:00:00.000Z' },
    turnsPerMinute: 5,
    messageMaxLength: 4000,
    installationPaused: false,
    tutorAvailable: true,
    ...overrides,
  };
}

function buildMessage(overrides: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'm',
    sessionId: SESSION,
    role: 'user',
    content: '',
    status: 'complete',
    clientMessageId: null,
    hintCue: null,
    sources: [],
    errorCode: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function examModule(id: string, aiPolicy: LearningModule['aiPolicy']): LearningModule {
  return {
    id,
    slug: id,
    title: id,
    description: '',
    position: 0,
    published: true,
    aiPolicy,
    notebooks: [],
  };
}

async function renderChat(
  path = '/chat',
  {
    usage = buildUsage(),
    messages = [] as ChatMessage[],
    status = 'connected' as const,
    modules = [] as LearningModule[],
  } = {},
) {
  const realtime = createFakeRealtime(status);
  const rendered = await renderSignedIn(path, buildSession(), {
    wrapper: realtime.wrapper,
    beforeRender(mock) {
      mock.on('GET /api/chat/sessions', jsonResponse(200, { sessions: [] }));
      mock.on('GET /api/me/usage', jsonResponse(200, usage));
      mock.on('GET /api/modules', jsonResponse(200, { modules }));
      mock.on(
        `GET /api/chat/sessions/${SESSION}/messages`,
        jsonResponse(200, { messages, nextCursor: null }),
      );
    },
  });
  const box = screen.getByLabelText<HTMLTextAreaElement>('Your question');
  return { ...rendered, realtime, box };
}

afterEach(() => sessionStorage.clear());

describe('ChatPage', () => {
  it('shows an exam window that switches the tutor off before the student types', async () => {
    const examText = 'The tutor is off during the exam until 11:00 (Europe/Berlin).';
    await renderChat('/chat', {
      modules: [
        examModule('m1', {
          mode: 'off',
          maxHintLevel: null,
          text: examText,
          until: '2026-06-12T09:00:00.000Z',
        }),
        examModule('m2', { mode: 'hints_only', maxHintLevel: 2, text: 'Hints only.', until: null }),
      ],
    });
    expect((await screen.findByRole('note')).textContent).toBe(examText);
    expect(screen.queryByText('Hints only.')).toBeNull();
  });

  it('sends a first question, streams the answer and announces it when done', async () => {
    const { user, realtime, router, mock, box } = await renderChat();
    mock.on('GET /api/chat/sessions', jsonResponse(200, { sessions: [] }));
    mock.on('GET /api/me/usage', jsonResponse(200, buildUsage()));

    await user.type(box, 'What is a for loop?{Enter}');
    const [send] = realtime.sent('chat:send');
    expect(send?.payload).toMatchObject({ content: 'What is a for loop?' });
    expect(send?.payload).not.toHaveProperty('sessionId');
    const { clientMessageId } = send!.payload as { clientMessageId: string };
    expect(screen.getByText('What is a for loop?')).toBeTruthy();

    await realtime.ack(send, {
      ok: true,
      sessionId: SESSION,
      userMessageId: 'q1',
      turnId: TURN,
      duplicate: false,
    });
    await waitFor(() => expect(router.state.location.pathname).toBe(`/chat/${SESSION}`));

    const ids = { sessionId: SESSION, turnId: TURN };
    realtime.serverEmit('chat:turn', {
      ...ids,
      clientMessageId,
      userMessageId: 'q1',
      assistantMessageId: TURN,
      sessionTitle: 'What is a for loop?',
    });
    realtime.serverEmit('chat:meta', { ...ids, hintCue: 'a hint', sources: [] });
    realtime.serverEmit('chat:delta', { ...ids, seq: 1, text: 'What do you ' });
    realtime.serverEmit('chat:delta', { ...ids, seq: 2, text: 'want to repeat?' });

    const answer = screen.getByRole('article', { name: 'The tutor answered' });
    expect(answer.textContent).toContain('a hint');
    await waitFor(() => expect(answer.textContent).toContain('What do you want to repeat?'));
    expect(screen.getByRole('button', { name: 'Stop answer' })).toBeTruthy();

    realtime.serverEmit('chat:done', {
      ...ids,
      messageId: TURN,
      status: 'complete',
      content: 'What do you want to **repeat**?',
      usage: { inputTokens: 10, outputTokens: 8 },
    });
    const live = document.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toBe('The tutor answered: What do you want to **repeat**?');
    expect(screen.queryByRole('button', { name: 'Stop answer' })).toBeNull();
    await waitFor(() => expect(mock.requestsTo('GET /api/me/usage')).toHaveLength(2));
  });

  it('keeps the draft and explains calmly when the tutor is not set up', async () => {
    const { user, realtime, box } = await renderChat();
    await user.type(box, 'Help me{Enter}');
    await realtime.ack(realtime.sent('chat:send')[0], {
      ok: false,
      error: {
        code: 'ai.not_configured',
        message: 'The tutor has not been set up yet.',
        retryable: false,
      },
    });

    expect((await screen.findByText(/The tutor is not set up yet/)).textContent).toBeTruthy();
    await waitFor(() => expect(box.value).toBe('Help me'));
    expect(screen.queryByText('Help me', { selector: 'p' })).toBeNull();
  });

  it('waits for the connection and resends with the same client id after a drop', async () => {
    const { user, realtime, box } = await renderChat();
    realtime.setStatus('reconnecting');
    await user.type(box, 'Are you there?{Enter}');

    expect(realtime.sent('chat:send')).toHaveLength(0);
    expect(screen.getByText(/your question is sent as soon as it is back/)).toBeTruthy();

    realtime.setStatus('connected');
    const [send] = realtime.sent('chat:send');
    realtime.setStatus('reconnecting'); // the ack never arrives
    realtime.setStatus('connected');

    const sends = realtime.sent('chat:send');
    expect(sends).toHaveLength(2);
    expect((sends[1]!.payload as { clientMessageId: string }).clientMessageId).toBe(
      (send!.payload as { clientMessageId: string }).clientMessageId,
    );
  });

  it('resumes a running answer after a reconnect from the last delta it has', async () => {
    const { realtime } = await renderChat(`/chat/${SESSION}`, {
      messages: [
        buildMessage({ id: 'q1', content: 'Explain recursion' }),
        buildMessage({ id: TURN, role: 'assistant', status: 'streaming', content: 'Think' }),
      ],
    });
    await screen.findByText('Explain recursion');
    const [firstResume] = realtime.sent('chat:resume');
    expect(firstResume?.payload).toEqual({ sessionId: SESSION, turnId: TURN, afterSeq: 0 });
    await realtime.ack(firstResume, { ok: true, state: 'streaming' });

    const ids = { sessionId: SESSION, turnId: TURN };
    realtime.serverEmit('chat:delta', { ...ids, seq: 1, text: 'Think of ' });
    realtime.serverEmit('chat:delta', { ...ids, seq: 2, text: 'a mirror.' });
    realtime.setStatus('reconnecting');
    realtime.setStatus('connected');

    expect(realtime.sent('chat:resume')[1]?.payload).toEqual({ ...ids, afterSeq: 2 });
    expect(screen.getByRole('article', { name: 'The tutor answered' }).textContent).toContain(
      'Think of a mirror.',
    );
  });

  it('offers a retry on a failed answer and replaces it with the new one', async () => {
    const { user, realtime } = await renderChat(`/chat/${SESSION}`, {
      messages: [
        buildMessage({ id: 'q1', content: 'Why?' }),
        buildMessage({
          id: TURN,
          role: 'assistant',
          status: 'error',
          content: 'Partial',
          errorCode: 'ai.provider_unavailable',
        }),
      ],
    });
    const failed = await screen.findByRole('article', { name: 'The tutor answered' });
    expect(
      within(failed).getByText('The tutor could not be reached for this answer.'),
    ).toBeTruthy();

    await user.click(within(failed).getByRole('button', { name: 'Retry' }));
    const [retry] = realtime.sent('chat:retry');
    expect(retry?.payload).toMatchObject({ sessionId: SESSION });
    await realtime.ack(retry, {
      ok: true,
      sessionId: SESSION,
      userMessageId: 'q1',
      turnId: 'retry-turn',
      duplicate: false,
    });

    expect(screen.queryByText('Partial')).toBeNull();
    expect(screen.getByText('The tutor is thinking…')).toBeTruthy();
  });

  it('warns before the daily allowance runs out', async () => {
    await renderChat('/chat', {
      usage: buildUsage({
        day: { usedTokens: 900, limitTokens: 1000, resetsAt: '2030-01-01T00:00:00.000Z' },
      }),
    });
    expect(await screen.findByText(/You have used 90% of your today's allowance/)).toBeTruthy();
  });

  it('holds a question longer than the installation takes, before it reaches the server', async () => {
    const { user, realtime, box } = await renderChat('/chat', {
      usage: buildUsage({ messageMaxLength: 100 }),
    });
    await screen.findByText(/Today: 10% used/);
    await user.click(box);
    await user.paste('y'.repeat(101));
    await user.keyboard('{Enter}');

    expect(await screen.findByText(/Too long to send/)).toBeTruthy();
    expect(realtime.sent('chat:send')).toHaveLength(0);
    expect(box.value).toHaveLength(101);
  });
});
