import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { ChatSession } from '@hintbook/contracts';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { stubFetch } from '../../../test/render-app';
import { useSessions } from '../hooks/useSessions';
import { SessionsSidebar } from './SessionsSidebar';

function buildChatSession(overrides: Partial<ChatSession> = {}): ChatSession {
  return {
    id: 'session-1',
    title: 'Loops in Python',
    scope: 'general',
    notebookId: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    lastMessageAt: null,
    ...overrides,
  };
}

function Harness({ onDeleted }: { onDeleted(id: string): void }) {
  const sessions = useSessions();
  return (
    <SessionsSidebar
      id="sessions"
      sessions={sessions}
      isOpen
      onNewChat={vi.fn()}
      onOpenSession={vi.fn()}
      onDeleted={onDeleted}
    />
  );
}

async function renderSidebar(sessions = [buildChatSession()]) {
  const mock = stubFetch();
  mock.on('GET /api/chat/sessions', jsonResponse(200, { sessions }));
  const onDeleted = vi.fn();
  render(
    <MemoryRouter>
      <Harness onDeleted={onDeleted} />
    </MemoryRouter>,
  );
  await screen.findByRole('list');
  return { mock, onDeleted, user: userEvent.setup() };
}

describe('SessionsSidebar', () => {
  it('lists the conversations as links', async () => {
    await renderSidebar([buildChatSession(), buildChatSession({ id: 's2', title: 'Recursion' })]);
    expect(screen.getByRole('link', { name: 'Loops in Python' }).getAttribute('href')).toBe(
      '/chat/session-1',
    );
    expect(screen.getByRole('link', { name: 'Recursion' })).toBeTruthy();
  });

  it('renames a conversation in place and returns focus to it', async () => {
    const { mock, user } = await renderSidebar();
    mock.on(
      'PATCH /api/chat/sessions/session-1',
      jsonResponse(200, { session: buildChatSession({ title: 'While loops' }) }),
    );

    await user.click(screen.getByRole('button', { name: 'Rename “Loops in Python”' }));
    const field = screen.getByLabelText('New name for “Loops in Python”');
    expect(document.activeElement).toBe(field);
    await user.clear(field);
    await user.type(field, 'While loops{Enter}');

    const link = await screen.findByRole('link', { name: 'While loops' });
    expect(mock.requestsTo('PATCH /api/chat/sessions/session-1')[0]?.body).toEqual({
      title: 'While loops',
    });
    expect(document.activeElement).toBe(link);
  });

  it('shows why a rename failed and keeps the field open', async () => {
    const { mock, user } = await renderSidebar();
    mock.on(
      'PATCH /api/chat/sessions/session-1',
      errorResponse(400, 'validation.failed', 'Keep the title under 120 characters'),
    );
    await user.click(screen.getByRole('button', { name: 'Rename “Loops in Python”' }));
    await user.type(screen.getByLabelText('New name for “Loops in Python”'), ' again{Enter}');

    expect(await screen.findByText('Keep the title under 120 characters')).toBeTruthy();
    expect(screen.getByLabelText('New name for “Loops in Python”')).toBeTruthy();
  });

  it('deletes only after a confirmation, and can be cancelled', async () => {
    const { mock, user, onDeleted } = await renderSidebar();
    await user.click(screen.getByRole('button', { name: 'Delete “Loops in Python”' }));
    const confirm = screen.getByRole('group');
    expect(within(confirm).getByText(/Delete “Loops in Python” and all its messages/)).toBeTruthy();
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));

    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(mock.requestsTo('DELETE /api/chat/sessions/session-1')).toHaveLength(0);
    expect(screen.getByRole('link', { name: 'Loops in Python' })).toBeTruthy();

    mock.on('DELETE /api/chat/sessions/session-1', new Response(null, { status: 204 }));
    await user.click(screen.getByRole('button', { name: 'Delete “Loops in Python”' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(screen.queryByRole('link', { name: 'Loops in Python' })).toBeNull());
    expect(onDeleted).toHaveBeenCalledWith('session-1');
    expect(document.activeElement).toBe(screen.getByLabelText('Search chats'));
  });

  it('searches by title on the server', async () => {
    const { mock, user } = await renderSidebar();
    mock.on(
      'GET /api/chat/sessions',
      jsonResponse(200, { sessions: [buildChatSession({ id: 's3', title: 'Recursion' })] }),
    );
    await user.type(screen.getByLabelText('Search chats'), 'recur');

    expect(await screen.findByRole('link', { name: 'Recursion' })).toBeTruthy();
    const searches = mock.requestsTo('GET /api/chat/sessions');
    expect(searches.at(-1)?.search).toBe('?q=recur');
    // Typing is debounced: one request for the whole word, not one per letter.
    expect(searches).toHaveLength(2);
  });

  it('says so when no title matches', async () => {
    const { mock, user } = await renderSidebar();
    mock.on('GET /api/chat/sessions', jsonResponse(200, { sessions: [] }));
    await user.type(screen.getByLabelText('Search chats'), 'zzz');
    expect((await screen.findByRole('status')).textContent).toBe('No chat titles match “zzz”.');
  });
});
