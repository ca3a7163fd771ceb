import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@hintbook/contracts';
import { chatSessionReducer } from './chat-session-reducer';
import {
  initialChatSessionState,
  type ChatSessionAction,
  type ChatSessionState,
} from './chat-session-state';

const SESSION = 'session-1';
const TURN = 'answer-1';
const CLIENT = 'client-1';

function buildMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 'message-1',
    sessionId: SESSION,
    role: 'user',
    content: 'What is a list?',
    status: 'complete',
    clientMessageId: null,
    hintCue: null,
    sources: [],
    errorCode: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function run(state: ChatSessionState, ...actions: ChatSessionAction[]): ChatSessionState {
  return actions.reduce(chatSessionReducer, state);
}

const delta = (seq: number, text: string, turnId = TURN): ChatSessionAction => ({
  type: 'delta',
  event: { sessionId: SESSION, turnId, seq, text },
});

/** A loaded, empty conversation in which "Why?" was sent, acknowledged and announced. */
function startedTurn(): ChatSessionState {
  return run(
    initialChatSessionState(SESSION),
    { type: 'loaded', sessionId: SESSION, messages: [], nextCursor: null },
    { type: 'sendStarted', clientMessageId: CLIENT, content: 'Why?' },
    {
      type: 'sendAcked',
      clientMessageId: CLIENT,
      sessionId: SESSION,
      userMessageId: 'question-1',
      turnId: TURN,
    },
    {
      type: 'turn',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        clientMessageId: CLIENT,
        userMessageId: 'question-1',
        assistantMessageId: TURN,
      },
    },
  );
}

const answerOf = (state: ChatSessionState) => state.messages.at(-1)!;

describe('chatSessionReducer', () => {
  it('shows the question at once and the answer as it streams', () => {
    const state = run(
      startedTurn(),
      { type: 'meta', event: { sessionId: SESSION, turnId: TURN, hintCue: 'a hint', sources: [] } },
      delta(1, 'Think '),
      delta(2, 'about it.'),
    );

    expect(state.messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Why?'],
      ['assistant', 'Think about it.'],
    ]);
    expect(state.messages[0]).toMatchObject({ id: 'question-1', status: 'complete' });
    expect(answerOf(state)).toMatchObject({ id: TURN, status: 'streaming', hintCue: 'a hint' });
  });

  it('keeps the course citations the server sends with the answer’s meta', () => {
    const source = {
      citation: 'Loops · Lesson · cell 1',
      origin: 'course' as const,
      moduleId: 'module-1',
      notebookId: 'notebook-1',
      cellIndex: 0,
    };
    const state = run(startedTurn(), {
      type: 'meta',
      event: { sessionId: SESSION, turnId: TURN, hintCue: 'a hint', sources: [source] },
    });
    expect(answerOf(state).sources).toEqual([source]);
  });

  it('ignores duplicated and old deltas', () => {
    const state = run(startedTurn(), delta(1, 'A'), delta(2, 'B'), delta(2, 'B'), delta(1, 'A'));
    expect(answerOf(state).content).toBe('AB');
    expect(state.turn?.lastSeq).toBe(2);
  });

  it('starts the answer afresh at a delta that replaces it, even one that arrived early', () => {
    const replace: ChatSessionAction = {
      type: 'delta',
      event: { sessionId: SESSION, turnId: TURN, seq: 3, text: 'What do ', replace: true },
    };
    const state = run(startedTurn(), delta(1, 'Sure! '), replace, delta(4, 'you think?'));
    expect(answerOf(state).content).toBe('Sure! ');
    expect(answerOf(run(state, delta(2, 'Here:'))).content).toBe('What do you think?');
  });

  it('holds a delta that arrives early until the gap before it fills', () => {
    const early = run(startedTurn(), delta(1, 'A'), delta(3, 'C'));
    expect(answerOf(early).content).toBe('A');

    const filled = run(early, delta(2, 'B'), delta(3, 'C'));
    expect(answerOf(filled).content).toBe('ABC');
  });

  it('ignores deltas of other turns', () => {
    const state = run(startedTurn(), delta(1, 'mine'), delta(2, 'not mine', 'answer-9'));
    expect(answerOf(state).content).toBe('mine');
  });

  it('replaces the streamed text with the stored answer when done, and announces it', () => {
    const state = run(startedTurn(), delta(1, 'Half an ans'), {
      type: 'done',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        messageId: TURN,
        status: 'complete',
        content: 'The whole answer.',
        usage: { inputTokens: 10, outputTokens: 5 },
      },
    });

    expect(answerOf(state)).toMatchObject({ content: 'The whole answer.', status: 'complete' });
    expect(state.turn).toBeNull();
    expect(state.announcement?.text).toBe('The tutor answered: The whole answer.');
  });

  it('keeps the partial answer of a stopped turn as interrupted', () => {
    const state = run(startedTurn(), delta(1, 'So far'), {
      type: 'done',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        messageId: TURN,
        status: 'interrupted',
        content: 'So far',
        usage: { inputTokens: 10, outputTokens: 2 },
      },
    });
    expect(answerOf(state)).toMatchObject({ content: 'So far', status: 'interrupted' });
    expect(state.announcement?.text).toContain('Answer stopped');
  });

  it('keeps the partial answer on error, with the code and whether a retry may help', () => {
    const state = run(startedTurn(), delta(1, 'Par'), {
      type: 'error',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        messageId: TURN,
        content: 'Partial',
        code: 'ai.provider_unavailable',
        message: 'The tutor is unavailable right now.',
        retryable: true,
      },
    });
    expect(answerOf(state)).toMatchObject({
      content: 'Partial',
      status: 'error',
      errorCode: 'ai.provider_unavailable',
      isRetryable: true,
    });
    expect(state.turn).toBeNull();
  });

  it('catches up after a reconnect: replayed deltas apply once, then the terminal event', () => {
    const beforeDrop = run(startedTurn(), delta(1, 'One '), delta(2, 'two '));
    // The resume asks for afterSeq 2; the server replays 2 again (harmless), then 3 and done.
    const state = run(beforeDrop, delta(2, 'two '), delta(3, 'three'), {
      type: 'done',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        messageId: TURN,
        status: 'complete',
        content: 'One two three',
        usage: { inputTokens: 1, outputTokens: 3 },
      },
    });
    expect(answerOf(state).content).toBe('One two three');
    expect(state.turn).toBeNull();
  });

  it('resumes an answer still streaming when the page loads, from the first delta', () => {
    const loaded = run(initialChatSessionState(SESSION), {
      type: 'loaded',
      sessionId: SESSION,
      nextCursor: null,
      messages: [
        buildMessage({ id: 'question-1' }),
        buildMessage({ id: TURN, role: 'assistant', status: 'streaming', content: 'stored par' }),
      ],
    });
    expect(loaded.turn).toMatchObject({ turnId: TURN, lastSeq: 0 });

    const state = run(loaded, delta(1, 'stored '), delta(2, 'partial'));
    expect(answerOf(state).content).toBe('stored partial');
  });

  it('after a lost resume, shows the stored text and waits for the final answer only', () => {
    const state = run(startedTurn(), delta(1, 'A'), { type: 'resumeLost' }, delta(2, 'B'));
    expect(state.isStale).toBe(true);
    expect(answerOf(state).content).toBe('A');
  });

  it('puts everything back when the server refuses a question', () => {
    const loaded = run(initialChatSessionState(SESSION), {
      type: 'loaded',
      sessionId: SESSION,
      nextCursor: null,
      messages: [
        buildMessage({ id: 'question-1' }),
        buildMessage({ id: 'answer-0', role: 'assistant', content: 'Hint' }),
      ],
    });
    const error = { code: 'chat.allowance_exhausted', message: 'Used up', retryable: false };
    const state = run(
      loaded,
      {
        type: 'sendStarted',
        clientMessageId: CLIENT,
        content: 'Edited',
        replacesMessageId: 'question-1',
      },
      { type: 'sendRejected', clientMessageId: CLIENT, error },
    );

    expect(state.messages.map((message) => message.id)).toEqual(['question-1', 'answer-0']);
    expect(state.notice).toEqual(error);
    expect(state.turn).toBeNull();
  });

  it('drops the edited question and its answer when the edit is sent', () => {
    const loaded = run(initialChatSessionState(SESSION), {
      type: 'loaded',
      sessionId: SESSION,
      nextCursor: null,
      messages: [
        buildMessage({ id: 'question-1', content: 'Old' }),
        buildMessage({ id: 'answer-0', role: 'assistant', content: 'Hint' }),
      ],
    });
    const state = run(loaded, {
      type: 'sendStarted',
      clientMessageId: CLIENT,
      content: 'New',
      replacesMessageId: 'question-1',
    });
    expect(state.messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'New'],
      ['assistant', ''],
    ]);
  });

  it('adopts the session a first question created', () => {
    const state = run(
      initialChatSessionState(null),
      { type: 'sendStarted', clientMessageId: CLIENT, content: 'Hi' },
      {
        type: 'sendAcked',
        clientMessageId: CLIENT,
        sessionId: 'new-session',
        userMessageId: 'q',
        turnId: TURN,
      },
    );
    expect(state.sessionId).toBe('new-session');
  });

  it('marks the history stale when another tab starts a turn in this conversation', () => {
    const loaded = run(initialChatSessionState(SESSION), {
      type: 'loaded',
      sessionId: SESSION,
      nextCursor: null,
      messages: [],
    });
    const state = run(loaded, {
      type: 'turn',
      event: {
        sessionId: SESSION,
        turnId: 'other-turn',
        clientMessageId: 'other-client',
        userMessageId: 'q',
        assistantMessageId: 'other-turn',
      },
    });
    expect(state.isStale).toBe(true);
  });

  it('replaces the failed answer when a retry starts', () => {
    const failed = run(startedTurn(), {
      type: 'error',
      event: {
        sessionId: SESSION,
        turnId: TURN,
        messageId: TURN,
        content: '',
        code: 'ai.interrupted',
        message: 'Cut off',
        retryable: true,
      },
    });
    const state = run(failed, { type: 'retryStarted' }, { type: 'retryAcked', turnId: 'answer-2' });
    expect(state.messages.map((message) => message.id)).toEqual(['question-1', 'answer-2']);
    expect(state.turn?.turnId).toBe('answer-2');
  });
});
