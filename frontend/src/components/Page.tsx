import { useEffect, useRef, type ReactNode } from 'react';

interface PageProps {
  /** Used for the browser tab and, unless `heading` is given, the page's one h1. */
  title: string;
  heading?: ReactNode;
  width?: 'narrow' | 'wide';
  children: ReactNode;
}

/**
 * Every routed page: sets the document title and moves focus to the heading on arrival, because
 * a client-side navigation otherwise leaves screen-reader and keyboard users where they were.
 */
export function Page({ title, heading, width = 'wide', children }: PageProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${title} · Hintbook`;
  }, [title]);

  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, []);

  return (
    <div className={`page page-${width}`}>
      <h1 className="page-heading" ref={headingRef} tabIndex={-1}>
        {heading ?? title}
      </h1>
      {children}
    </div>
  );
}
