import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';

/**
 * Only the languages a beginners' course meets: highlight.js with every grammar is several
 * hundred kB. Unknown languages are shown plain rather than guessed.
 */
export const lowlight = createLowlight({ bash, javascript, json, python, sql, typescript });
lowlight.registerAlias({
  bash: ['sh', 'shell', 'console'],
  javascript: ['js', 'jsx', 'mjs'],
  python: ['py', 'python3', 'ipython'],
  typescript: ['ts', 'tsx'],
});
