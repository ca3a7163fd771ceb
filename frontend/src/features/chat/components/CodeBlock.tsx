import { useEffect, useMemo, useRef, useState } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { lowlight } from '../highlight';

interface CodeBlockProps {
  code: string;
  /** From the fence (```python); null or unknown shows the code unhighlighted. */
  language: string | null;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A fenced code block with highlighting and a copy button. lowlight returns a syntax tree, which
 * becomes React elements: no HTML string is ever injected.
 */
export function CodeBlock({ code, language }: CodeBlockProps) {
  const [copyState, setCopyState] = useState<CopyState>('idle');
  const resetTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const isKnown = language !== null && lowlight.registered(language);

  const highlighted = useMemo(() => {
    if (!isKnown) return code;
    return toJsxRuntime(lowlight.highlight(language, code), { Fragment, jsx, jsxs });
  }, [code, language, isKnown]);

  useEffect(() => () => clearTimeout(resetTimer.current), []);

  async function handleCopy() {
    clearTimeout(resetTimer.current);
    try {
      // Missing on plain-http pages (not a secure context), and denied by some browsers.
      if (!navigator.clipboard) throw new Error('Clipboard unavailable');
      await navigator.clipboard.writeText(code);
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
    resetTimer.current = setTimeout(() => setCopyState('idle'), 4_000);
  }

  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="code-block-language">{language ?? 'code'}</span>
        <button
          type="button"
          className="code-block-copy"
          aria-label="Copy code"
          onClick={() => void handleCopy()}
        >
          Copy
        </button>
        <span className="code-block-status" role="status">
          {copyState === 'copied'
            ? 'Copied'
            : copyState === 'failed'
              ? 'Could not copy: select the code and press Ctrl+C (⌘C on a Mac).'
              : ''}
        </span>
      </div>
      <pre tabIndex={0}>
        <code className={isKnown ? `hljs language-${language}` : undefined}>{highlighted}</code>
      </pre>
    </div>
  );
}
