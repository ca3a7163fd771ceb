import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TableScroll } from './TableScroll';

/** jsdom lays nothing out: the widths a browser would measure are given here. */
function widths(scrollWidth: number, clientWidth: number) {
  vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(scrollWidth);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(clientWidth);
}

const table = (
  <table>
    <tbody>
      <tr>
        <td>a wide row</td>
      </tr>
    </tbody>
  </table>
);

afterEach(() => vi.restoreAllMocks());

describe('TableScroll', () => {
  it('is a named region the keyboard can reach while the table is wider than its box', () => {
    widths(900, 360);
    render(<TableScroll label="People">{table}</TableScroll>);
    const region = screen.getByRole('region', { name: 'People, scrolls sideways' });
    expect(region.tabIndex).toBe(0);
  });

  it('is a plain box, not a Tab stop, when the table fits', () => {
    widths(600, 600);
    const { container } = render(<TableScroll label="People">{table}</TableScroll>);
    expect(screen.queryByRole('region')).toBeNull();
    expect(container.querySelector('.table-scroll')!.hasAttribute('tabindex')).toBe(false);
  });
});
