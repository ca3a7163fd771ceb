import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MarkdownMessage } from './MarkdownMessage';

describe('MarkdownMessage', () => {
  it('shows HTML and script tags as text and drops javascript: links', () => {
    const answer = [
      'Look: <img src=x onerror=alert(1)>',
      '',
      '<script>alert(1)</script>',
      '',
      '[click](javascript:alert(1))',
    ].join('\n');
    const { container } = render(<MarkdownMessage content={answer} />);

    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('<script>alert(1)</script>');
    const click = screen.getByText('click');
    expect(click.closest('a')).toBeNull();
    expect(container.innerHTML).not.toContain('javascript:');
  });

  it('drops other dangerous schemes, even disguised, but keeps http and relative links', () => {
    const answer = [
      '[docs](https://docs.python.org/3/)',
      '[local](/profile)',
      '[data](data:text/html,<b>x</b>)',
      '[tab](java\tscript:alert(1))',
      '<javascript:alert(1)>',
    ].join(' ');
    const { container } = render(<MarkdownMessage content={answer} />);

    const docs = screen.getByRole('link', { name: 'docs' });
    expect(docs.getAttribute('href')).toBe('https://docs.python.org/3/');
    expect(docs.getAttribute('rel')).toContain('noopener');
    expect(screen.getByRole('link', { name: 'local' }).getAttribute('href')).toBe('/profile');
    expect(screen.getByText('data').closest('a')).toBeNull();
    expect(screen.getAllByRole('link')).toHaveLength(2);
    expect(container.innerHTML).not.toMatch(/href="(data|javascript)/);
  });

  it('never loads remote images, offering a link instead', () => {
    const { container } = render(
      <MarkdownMessage content="![a chart](https://example.org/chart.png)" />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'Image: a chart' }).getAttribute('href')).toBe(
      'https://example.org/chart.png',
    );
  });

  it('highlights fenced code and gives it a copy button', () => {
    const { container } = render(
      <MarkdownMessage content={'```python\ndef f(x):\n    return x\n```'} />,
    );
    expect(container.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeTruthy();
  });

  it('renders maths with KaTeX, loaded when first needed', async () => {
    // Role queries are avoided here: jsdom cannot compute styles of KaTeX's inline CSS.
    const { container } = render(<MarkdownMessage content={'Area: $\\pi r^2$'} />);
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(container.querySelector('annotation')?.textContent).toBe('\\pi r^2');
  });
});
