import type { MaterialSource } from '@hintbook/contracts';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { MessageSources } from './MessageSources';

const course: MaterialSource = {
  citation: 'Getting started · 2. Lists and loops · cell 4',
  origin: 'course',
  moduleId: 'm1',
  notebookId: 'n1',
  cellIndex: 3,
};

function renderSources(sources: MaterialSource[]) {
  return render(
    <MemoryRouter>
      <MessageSources sources={sources} />
    </MemoryRouter>,
  );
}

describe('MessageSources', () => {
  it('lists each citation as a link to the notebook it came from', () => {
    renderSources([
      course,
      {
        ...course,
        citation: 'Your notebook · Scratch · cell 1',
        origin: 'own',
        moduleId: null,
        cellIndex: 0,
      },
    ]);
    const region = screen.getByRole('complementary', {
      name: 'Course material this answer draws on',
    });
    expect(region.textContent).toContain('From the course:');
    expect(screen.getByRole('link', { name: course.citation }).getAttribute('href')).toBe(
      '/modules/m1/notebooks/n1',
    );
    expect(
      screen
        .getByRole('link', { name: 'Your notebook · Scratch · cell 1 (yours)' })
        .getAttribute('href'),
    ).toBe('/notebooks/n1');
  });

  it('folds passages of one notebook into one citation listing its cells in order', () => {
    renderSources([
      course,
      { ...course, citation: 'Getting started · 2. Lists and loops · cell 1', cellIndex: 0 },
      { ...course, citation: 'Other · Notebook · cell 2', notebookId: 'n2', cellIndex: 1 },
    ]);
    const links = screen.getAllByRole('link').map((link) => link.textContent);
    expect(links).toEqual([
      'Getting started · 2. Lists and loops · cells 1, 4',
      'Other · Notebook · cell 2',
    ]);
  });

  it('shows a data file’s citation as plain text, having no page to open', () => {
    renderSources([
      {
        ...course,
        citation: 'Getting started · scores.csv · lines 1–40',
        notebookId: null,
        cellIndex: null,
      },
    ]);
    expect(screen.getByText('Getting started · scores.csv · lines 1–40')).toBeTruthy();
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('renders nothing for an answer that drew on no material', () => {
    const { container } = renderSources([]);
    expect(container.innerHTML).toBe('');
  });
});
