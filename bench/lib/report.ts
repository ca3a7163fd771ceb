import { writeFileSync } from 'node:fs';
import type { RunAnalysis } from './analysis.js';

/** The terminal table and a small hand-written SVG chart. */

export interface Row {
  metric: string;
  measured: string;
  target: string;
  /** Undefined: shown for information, no target. */
  pass?: boolean;
  /** Printed instead of PASS/FAIL when a bare pass/fail would claim more than was measured. */
  verdict?: string;
}

export function printTable(rows: Row[]): void {
  const header: Row = { metric: 'metric', measured: 'measured', target: 'target' };
  const cells = [header, ...rows].map((row) => [
    row.metric,
    row.measured,
    row.target,
    row === header
      ? 'result'
      : (row.verdict ?? (row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL')),
  ]);
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...cells.map((cell) => cell[column]!.length)),
  );
  const line = (cell: string[]) =>
    `| ${cell.map((text, column) => text.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(line(cells[0]!));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const cell of cells.slice(1)) console.log(line(cell));
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Added latency (p50, p99) per concurrency level, with the targets as dashed lines. */
export function writeChart(
  file: string,
  latency: RunAnalysis,
  levels: RunAnalysis[],
  targets: { ttftAddedP99Ms: number; deltaAddedP99Ms: number },
): void {
  const points = [latency, ...levels.filter((level) => level.clients !== latency.clients)].sort(
    (a, b) => a.clients - b.clients,
  );
  const series = [
    { name: 'TTFT added p99', color: '#c0392b', pick: (r: RunAnalysis) => r.ttft.added.p99 },
    { name: 'TTFT added p50', color: '#e6a09a', pick: (r: RunAnalysis) => r.ttft.added.p50 },
    { name: 'per-delta added p99', color: '#1f5fa8', pick: (r: RunAnalysis) => r.deltaAdded.p99 },
    { name: 'per-delta added p50', color: '#8fb3dc', pick: (r: RunAnalysis) => r.deltaAdded.p50 },
  ];
  const width = 640;
  const height = 360;
  const pad = { left: 56, right: 170, top: 30, bottom: 44 };
  const values = points.flatMap((point) => series.map((s) => s.pick(point)));
  const yMax = Math.max(targets.ttftAddedP99Ms * 1.2, ...values.filter(Number.isFinite)) * 1.05;
  const xMax = Math.max(...points.map((point) => point.clients));
  const x = (clients: number) => pad.left + (clients / xMax) * (width - pad.left - pad.right);
  const y = (ms: number) => height - pad.bottom - (ms / yMax) * (height - pad.top - pad.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${pad.left}" y="18" font-size="13">Latency added by Hintbook (ms) vs concurrent streams at 30 tok/s</text>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${x(xMax)}" y2="${y(0)}" stroke="black"/>`,
    `<line x1="${pad.left}" y1="${y(0)}" x2="${pad.left}" y2="${pad.top}" stroke="black"/>`,
  ];
  for (let tick = 0; tick <= 5; tick += 1) {
    const ms = (yMax / 5) * tick;
    parts.push(
      `<text x="${pad.left - 6}" y="${y(ms) + 4}" text-anchor="end">${ms.toFixed(ms < 10 ? 1 : 0)}</text>`,
    );
  }
  for (const point of points) {
    parts.push(
      `<text x="${x(point.clients)}" y="${height - pad.bottom + 16}" text-anchor="middle">${point.clients}</text>`,
    );
  }
  parts.push(
    `<text x="${(pad.left + x(xMax)) / 2}" y="${height - 8}" text-anchor="middle">concurrent streams</text>`,
  );
  for (const [ms, label] of [
    [targets.ttftAddedP99Ms, 'TTFT target'],
    [targets.deltaAddedP99Ms, 'delta target'],
  ] as const) {
    if (ms > yMax) continue;
    parts.push(
      `<line x1="${pad.left}" y1="${y(ms)}" x2="${x(xMax)}" y2="${y(ms)}" stroke="#888" stroke-dasharray="4 3"/>`,
      `<text x="${x(xMax) + 4}" y="${y(ms) + 4}" fill="#666">${label} ${ms} ms</text>`,
    );
  }
  series.forEach((s, i) => {
    const coords = points
      .map((point) => [point.clients, Math.min(s.pick(point), yMax)] as const)
      .filter(([, ms]) => Number.isFinite(ms));
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${coords
        .map(([clients, ms]) => `${x(clients).toFixed(1)},${y(ms).toFixed(1)}`)
        .join(' ')}"/>`,
      ...coords.map(
        ([clients, ms]) =>
          `<circle cx="${x(clients).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="3" fill="${s.color}"/>`,
      ),
      `<rect x="${width - pad.right + 60}" y="${pad.top + 40 + i * 18}" width="12" height="3" fill="${s.color}"/>`,
      `<text x="${width - pad.right + 76}" y="${pad.top + 45 + i * 18}">${escape(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  writeFileSync(file, `${parts.join('\n')}\n`);
}
