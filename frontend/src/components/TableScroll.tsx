import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The box a wide table scrolls sideways in. While the table is wider than the box (a phone, a
 * narrow window), keyboard users must be able to scroll it too: the box then takes focus, where
 * the arrow keys scroll it, and is a region named after the table. At full width it is a plain
 * box, not one more stop for the Tab key.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [isScrollable, setIsScrollable] = useState(false);

  useEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    const measure = () => setIsScrollable(box.scrollWidth > box.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={boxRef}
      className="table-scroll"
      {...(isScrollable
        ? { tabIndex: 0, role: 'region', 'aria-label': `${label}, scrolls sideways` }
        : {})}
    >
      {children}
    </div>
  );
}
