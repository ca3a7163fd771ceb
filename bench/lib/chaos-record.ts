import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './processes.js';

/**
 * What the chaos tests (e2e/chaos) counted in their last run: each test file writes
 * e2e/artifacts/chaos/<file>.json (e2e/support/turn-audit.ts says what lost and duplicated mean).
 */
export interface ChaosTotals {
  files: Array<{
    file: string;
    finishedAt: string;
    answers: number;
    lost: number;
    duplicated: number;
  }>;
  answers: number;
  lost: number;
  duplicated: number;
}

export const CHAOS_RECORD_DIR = path.join(repoRoot, 'e2e', 'artifacts', 'chaos');

export function readChaosRecord(dir = CHAOS_RECORD_DIR): ChaosTotals | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map(
      (name) =>
        JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as ChaosTotals['files'][number],
    );
  if (files.length === 0) return null;
  const sum = (key: 'answers' | 'lost' | 'duplicated') =>
    files.reduce((total, file) => total + file[key], 0);
  return { files, answers: sum('answers'), lost: sum('lost'), duplicated: sum('duplicated') };
}
