import { isValidElement, type ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { safeUrl } from '../urls';
import { CodeBlock } from './CodeBlock';
import { useMathRenderer } from '../hooks/useMathRenderer';

const remarkPlugins = [remarkGfm, remarkMath];

function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

const components: Components = {
  a({ href, children }) {
    // urlTransform already removed unsafe hrefs; what is left of such a link is its text.
    if (!href) return <span className="link-removed">{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  // Remote images would track the reader and are blocked by the page's policies anyway: offer
  // the address as a link instead.
  img({ src, alt }) {
    const label = alt ? `Image: ${alt}` : 'Image';
    if (typeof src !== 'string' || !src) return <span>{label}</span>;
    return (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {label}
      </a>
    );
  },
  pre({ children }) {
    const code = Array.isArray(children) ? children[0] : children;
    if (!isValidElement<{ className?: string; children?: ReactNode }>(code)) {
      return <pre>{children}</pre>;
    }
    const language = /language-([\w+#-]+)/.exec(code.props.className ?? '')?.[1] ?? null;
    return <CodeBlock code={textOf(code.props.children).replace(/\n$/, '')} language={language} />;
  },
};

function urlTransform(url: string): string | null {
  return safeUrl(url);
}

/**
 * A tutor answer as Markdown, maths included. Raw HTML is never interpreted: react-markdown
 * (without rehype-raw) turns it into visible text, which also lets the tutor talk about HTML.
 */
export function MarkdownMessage({ content }: { content: string }) {
  const rehypePlugins = useMathRenderer(content);
  return (
    <div className="markdown">
      <Markdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
        urlTransform={urlTransform}
      >
        {content}
      </Markdown>
    </div>
  );
}

export default MarkdownMessage;
