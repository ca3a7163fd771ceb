import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TutorSees } from './TutorSees';

const text = () => screen.getByText(/tutor sees/).textContent;

describe('TutorSees', () => {
  it('names the cell, by its first line, and the last error that go with the question', () => {
    render(
      <TutorSees
        context={{
          activeCellSource: '\n# the total of a list, one item at a time\ntotal = 0',
          lastError: { ename: 'NameError', evalue: "name 'nmae' is not defined" },
        }}
      />,
    );
    expect(text()).toBe(
      'With your question the tutor sees the cell # the total of a list, one item at a ti… and the last error, NameError.',
    );
  });

  it('says when only the question goes, and how to show the code', () => {
    render(<TutorSees context={{}} />);
    expect(text()).toBe(
      'The tutor sees only your question: click into a cell first to show it your code.',
    );
  });

  it('shows nothing before the notebook was asked, or when it did not answer', () => {
    const { container } = render(<TutorSees context={undefined} />);
    expect(container.textContent).toBe('');
  });
});
