import { useCallback, useState } from 'react';

const PREFIX = 'hintbook:draft:';

/**
 * Drafts live in sessionStorage: they survive reloads and reconnects, and vanish with the tab,
 * so a shared school computer does not show the next student what the last one was typing.
 */
function read(key: string): string {
  try {
    return sessionStorage.getItem(PREFIX + key) ?? '';
  } catch {
    return ''; // storage disabled: the draft simply lives as long as the page
  }
}

export function writeDraft(key: string, value: string): void {
  try {
    if (value) sessionStorage.setItem(PREFIX + key, value);
    else sessionStorage.removeItem(PREFIX + key);
  } catch {
    // Full or disabled storage costs only persistence across reloads.
  }
}

/** Forgets a sent draft, unless the student has already started typing the next one. */
export function forgetSentDraft(key: string, sent: string): void {
  if (read(key).trim() === sent) writeDraft(key, '');
}

/** The composer's text for one conversation, saved as it is typed. */
export function useDraft(key: string) {
  const [value, setValue] = useState(() => read(key));

  const update = useCallback(
    (next: string, options: { persist?: boolean } = {}) => {
      setValue(next);
      if (options.persist !== false) writeDraft(key, next);
    },
    [key],
  );

  return [value, update] as const;
}
