import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

afterEach(() => sessionStorage.clear());

function renderComposer(overrides: Partial<Parameters<typeof Composer>[0]> = {}) {
  const onSend = vi.fn<(content: string) => Promise<boolean>>().mockResolvedValue(true);
  const onStop = vi.fn();
  const props = { draftKey: 'user-1:s1', isTurnActive: false, canSend: true, onSend, onStop };
  const rendered = render(<Composer {...props} {...overrides} />);
  return { ...rendered, onSend, onStop, user: userEvent.setup() };
}

const box = () => screen.getByLabelText<HTMLTextAreaElement>('Your question');

describe('Composer', () => {
  it('sends with Enter and empties the box', async () => {
    const { user, onSend } = renderComposer();
    await user.type(box(), 'Why does my loop never end?{Enter}');

    expect(onSend).toHaveBeenCalledWith('Why does my loop never end?');
    expect(box().value).toBe('');
    await waitFor(() => expect(sessionStorage.length).toBe(0));
  });

  it('adds a new line with Shift+Enter instead of sending', async () => {
    const { user, onSend } = renderComposer();
    await user.type(box(), 'line one{Shift>}{Enter}{/Shift}line two');

    expect(onSend).not.toHaveBeenCalled();
    expect(box().value).toBe('line one\nline two');
  });

  it('keeps the draft across a reload of the page', async () => {
    const { user, unmount } = renderComposer();
    await user.type(box(), 'half a question');
    unmount();

    renderComposer();
    expect(box().value).toBe('half a question');
  });

  it('keeps drafts of different conversations apart', async () => {
    const { user, unmount } = renderComposer({ draftKey: 'user-1:s1' });
    await user.type(box(), 'for s1');
    unmount();

    renderComposer({ draftKey: 'user-1:s2' });
    expect(box().value).toBe('');
  });

  it('puts the question back when the server refuses it', async () => {
    const onSend = vi.fn<(content: string) => Promise<boolean>>().mockResolvedValue(false);
    const { user } = renderComposer({ onSend });
    await user.type(box(), 'Please answer{Enter}');

    await waitFor(() => expect(box().value).toBe('Please answer'));
    expect(sessionStorage.getItem('hintbook:draft:user-1:s1')).toBe('Please answer');
  });

  it('counts against the installation’s limit and keeps a too-long question to be shortened', async () => {
    const { user, onSend } = renderComposer({ maxLength: 100 });
    await user.click(box());
    await user.paste('x'.repeat(120));
    const help = () =>
      document.getElementById(box().getAttribute('aria-describedby')!)?.textContent;
    expect(help()).toContain('120 of 100 characters');
    expect(help()).toContain('Too long to send');
    expect(box().getAttribute('aria-invalid')).toBe('true');

    await user.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(box().value).toHaveLength(120);

    await user.clear(box());
    await user.type(box(), 'short enough{Enter}');
    expect(onSend).toHaveBeenCalledWith('short enough');
  });

  it('is described by the text its page names too, before its own help', () => {
    render(<p id="tutor-sees">With your question the tutor sees the cell print(x).</p>);
    renderComposer({ describedBy: 'tutor-sees' });

    expect(
      screen.getByRole('textbox', {
        description:
          'With your question the tutor sees the cell print(x). Enter sends · Shift+Enter adds a line',
      }),
    ).toBe(box());
  });

  it('does not send while an answer is running, and offers to stop it', async () => {
    const { user, onSend, onStop } = renderComposer({ isTurnActive: true });
    await user.type(box(), 'Next question{Enter}');
    await user.click(screen.getByRole('button', { name: 'Stop answer' }));

    expect(onSend).not.toHaveBeenCalled();
    expect(onStop).toHaveBeenCalledOnce();
    expect(box().value).toBe('Next question');
  });

  it('moves focus back to the box when the Stop button it was on goes away', async () => {
    const { user, rerender, onSend, onStop } = renderComposer({ isTurnActive: true });
    await user.click(screen.getByRole('button', { name: 'Stop answer' }));
    rerender(
      <Composer
        draftKey="user-1:s1"
        isTurnActive={false}
        canSend
        onSend={onSend}
        onStop={onStop}
      />,
    );
    expect(document.activeElement).toBe(box());
  });
});
