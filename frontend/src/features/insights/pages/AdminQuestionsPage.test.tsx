import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse } from '../../../test/fetch-mock';
import { buildSession, buildUser, renderSignedIn } from '../../../test/render-app';
import { adminModule, questionInsights } from '../../../test/admin-fixtures';

const adminSession = buildSession({ user: buildUser({ isAdmin: true }) });
const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const ROUTE = 'GET /api/admin/insights/questions';

async function renderQuestions(...replies: Response[]) {
  const rendered = await renderSignedIn('/admin/questions', adminSession, {
    beforeRender(mock) {
      mock.on('GET /api/admin/modules', jsonResponse(200, { modules: [adminModule()] }));
      mock.on(ROUTE, ...replies);
    },
  });
  const lastSearch = () =>
    Object.fromEntries(new URLSearchParams(rendered.mock.requestsTo(ROUTE).at(-1)!.search));
  return { ...rendered, lastSearch };
}

describe('AdminQuestionsPage', () => {
  beforeEach(() => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW);
  });

  it('shows the groups largest first: typical question, bar, counts and other wordings', async () => {
    const { user, lastSearch } = await renderQuestions(jsonResponse(200, questionInsights()));

    const list = await screen.findByRole('list', {
      name: 'Groups of similar questions, largest first',
    });
    expect(lastSearch()).toEqual({ from: '2026-10-25T12:00:00.000Z' });
    const groups = within(list).getAllByRole('heading', { level: 3 });
    expect(groups.map((heading) => heading.textContent)).toEqual([
      'How do I write a for loop?',
      'How do I read a CSV file?',
    ]);
    const [loops, csv] = groups.map((heading) => heading.closest('li')!);
    expect(loops!.textContent).toContain('4 questions from 3 students · 40% of all questions');
    expect(loops!.textContent).toContain('Shared words: loop, write');
    expect(loops!.textContent).toContain('Asked in Loops week (3)');
    expect(csv!.textContent).toContain('2 questions from 1 student · 20% of all questions');
    // The bars compare groups with the largest one.
    const barOf = (item: HTMLElement) =>
      item.querySelector<HTMLElement>('.question-share-bar > span')!.style.width;
    expect([barOf(loops!), barOf(csv!)]).toEqual(['100%', '50%']);

    await user.click(within(loops!).getByText('2 other wordings'));
    expect(within(loops!).getByText('how to write a for loop')).toBeTruthy();
    expect(screen.getByText(/Grouped by meaning/).textContent).toContain('embed-v4.0');
    expect(screen.getByText('Questions asked').nextElementSibling!.textContent).toBe('10');
  });

  it('says plainly when the groups are by keywords, and why', async () => {
    await renderQuestions(
      jsonResponse(200, questionInsights({ method: 'keywords', fallback: 'not_configured' })),
    );
    expect(await screen.findByText(/no embedding key is configured/)).toBeTruthy();
  });

  it('says when the embedding service failed and keywords stood in', async () => {
    await renderQuestions(
      jsonResponse(
        200,
        questionInsights({
          method: 'keywords',
          fallback: 'embedding_failed',
          embeddingModel: null,
        }),
      ),
    );
    expect(await screen.findByText(/The embedding service did not answer/)).toBeTruthy();
  });

  it('asks again for another period or one module', async () => {
    const { user, lastSearch } = await renderQuestions(
      jsonResponse(200, questionInsights()),
      jsonResponse(200, questionInsights()),
      jsonResponse(
        200,
        questionInsights({ module: { id: adminModule().id, title: 'Loops week' } }),
      ),
    );
    await screen.findByRole('list', { name: /Groups of similar questions/ });

    await user.selectOptions(screen.getByLabelText('Period'), 'Last 7 days');
    await screen.findByRole('list', { name: /Groups of similar questions/ });
    expect(lastSearch()).toEqual({ from: '2026-11-17T12:00:00.000Z' });

    await user.selectOptions(screen.getByLabelText('Module'), 'Loops week');
    expect(await screen.findByText(/Loops week only/)).toBeTruthy();
    expect(lastSearch()).toEqual({ from: '2026-11-17T12:00:00.000Z', moduleId: adminModule().id });
  });

  it('asks for chosen days only once they make sense', async () => {
    const { user, mock, lastSearch } = await renderQuestions(
      jsonResponse(200, questionInsights()),
      jsonResponse(200, questionInsights()),
    );
    await screen.findByRole('list', { name: /Groups of similar questions/ });

    await user.selectOptions(screen.getByLabelText('Period'), 'Dates I choose');
    const first = screen.getByLabelText('First day');
    const last = screen.getByLabelText('Last day');
    await user.clear(first);
    await user.type(first, '2026-11-10');
    await user.clear(last);
    await user.type(last, '2026-11-03');
    await user.click(screen.getByRole('button', { name: 'Show these days' }));
    expect(await screen.findByText('The first day must not be after the last day.')).toBeTruthy();
    expect(mock.requestsTo(ROUTE)).toHaveLength(1);

    await user.clear(last);
    await user.type(last, '2026-11-12');
    await user.click(screen.getByRole('button', { name: 'Show these days' }));
    await vi.waitFor(() => expect(mock.requestsTo(ROUTE)).toHaveLength(2));
    expect(lastSearch()).toEqual({
      from: new Date(2026, 10, 10).toISOString(),
      to: new Date(2026, 10, 13).toISOString(),
    });
  });

  it('has something to say when nobody asked, or nothing came up twice', async () => {
    const { user } = await renderQuestions(
      jsonResponse(
        200,
        questionInsights({ questionsInRange: 0, questionsConsidered: 0, groups: [] }),
      ),
      jsonResponse(200, questionInsights({ questionsGrouped: 0, groups: [] })),
    );
    expect(
      await screen.findByText('No student asked the tutor anything in this period.'),
    ).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Period'), 'Last 90 days');
    expect(
      await screen.findByText('No question came up more than once in this period.'),
    ).toBeTruthy();
  });

  it('shows a failure with a way to try again', async () => {
    const { user } = await renderQuestions(
      errorResponse(500, 'internal', 'Something went wrong on our side'),
      jsonResponse(200, questionInsights()),
    );
    expect(await screen.findByText('Something went wrong on our side')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('list', { name: /Groups of similar questions/ })).toBeTruthy();
  });
});
