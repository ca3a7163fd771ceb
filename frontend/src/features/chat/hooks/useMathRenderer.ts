import { useEffect, useState } from 'react';
import type { Options } from 'react-markdown';

type RehypePlugins = NonNullable<Options['rehypePlugins']>;

/** Anything that may be maths for remark-math: `$…$`, `$$…$$`, or a ```math fence. */
const MAY_HAVE_MATHS = /\$|```math/;
const NO_PLUGINS: RehypePlugins = [];

let loaded: RehypePlugins | null = null;
let loading: Promise<RehypePlugins> | null = null;

/**
 * KaTeX is half the weight of the Markdown stack and most answers have no maths, so it is
 * fetched the first time an answer needs it. Until then maths shows as its TeX source.
 */
function loadMaths(): Promise<RehypePlugins> {
  loading ??= Promise.all([import('rehype-katex'), import('katex/dist/katex.min.css')]).then(
    ([{ default: rehypeKatex }]) => {
      // `trust: false` keeps \href, \url and friends from producing links; errors in
      // half-streamed maths render in place instead of throwing.
      loaded = [[rehypeKatex, { trust: false, throwOnError: false, strict: 'ignore' }]];
      return loaded;
    },
  );
  return loading;
}

/** The rehype plugins for `content`: KaTeX once loaded, if the text may contain maths. */
export function useMathRenderer(content: string): RehypePlugins {
  const needsMaths = MAY_HAVE_MATHS.test(content);
  const [plugins, setPlugins] = useState<RehypePlugins | null>(loaded);

  useEffect(() => {
    if (!needsMaths || plugins) return;
    let isCurrent = true;
    loadMaths().then(
      (result) => {
        if (isCurrent) setPlugins(result);
      },
      () => {
        // Offline mid-session: the TeX source stays readable, nothing else breaks.
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [needsMaths, plugins]);

  return needsMaths && plugins ? plugins : NO_PLUGINS;
}
