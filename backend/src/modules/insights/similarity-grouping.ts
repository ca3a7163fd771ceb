import type { RankedGroup } from './ranked-group.js';

/**
 * Cosine similarity a question needs with a group's centre to belong to it. Picked on the mock
 * embeddings (rephrasings score 0.6–0.8, other topics under 0.4) and the vendors' usual
 * ranges; not tuned on real classes yet (docs/retrieval.md).
 */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.6;

/** Unit-length copy; vendors normalise already, cached rows might not (and zero stays zero). */
function normalise(vector: readonly number[]): Float64Array {
  const result = Float64Array.from(vector);
  let norm = 0;
  for (const value of result) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < result.length; i += 1) result[i]! /= norm;
  return result;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** A group's centre as the (unnormalised) sum of its members, with its length kept current. */
interface Centre {
  sum: Float64Array;
  norm: number;
  members: number[];
}

function addTo(centre: Centre, vector: Float64Array, dotWithSum: number) {
  // |s + v|² = |s|² + 2 s·v + |v|²: s·v is known already, no pass over the sum.
  centre.norm = Math.sqrt(Math.max(0, centre.norm ** 2 + 2 * dotWithSum + dot(vector, vector)));
  for (let i = 0; i < vector.length; i += 1) centre.sum[i]! += vector[i]!;
}

function nearest(vector: Float64Array, centres: readonly Centre[]) {
  let best = -1;
  let bestSimilarity = -Infinity;
  let bestDot = 0;
  centres.forEach((centre, index) => {
    const product = dot(vector, centre.sum);
    const similarity = centre.norm > 0 ? product / centre.norm : 0;
    if (similarity > bestSimilarity) {
      best = index;
      bestSimilarity = similarity;
      bestDot = product;
    }
  });
  return { index: best, similarity: bestSimilarity, dot: bestDot };
}

function centreOf(members: number[], vectors: readonly Float64Array[]): Centre {
  const dimensions = vectors[0]?.length ?? 0;
  const sum = new Float64Array(dimensions);
  for (const index of members) {
    const vector = vectors[index]!;
    for (let i = 0; i < dimensions; i += 1) sum[i]! += vector[i]!;
  }
  return { sum, norm: Math.sqrt(dot(sum, sum)), members };
}

/**
 * Groups vectors by cosine similarity, deterministically (input order decides ties; callers
 * pass newest first). Pass 1: each vector joins the most similar group centre at or above the
 * threshold, else starts a group. Pass 2: with the centres settled, every vector moves to its
 * most similar group of two or more (or is left alone), so early arrivals are not stranded in
 * a group that formed before the better one. O(questions × groups × dimensions).
 *
 * Returns groups of two or more; a member's score is its similarity to the group's centre,
 * which for unit vectors ranks members by their mean similarity to the others.
 */
export function groupBySimilarity(
  rawVectors: readonly (readonly number[])[],
  threshold = DEFAULT_SIMILARITY_THRESHOLD,
): RankedGroup[] {
  const vectors = rawVectors.map(normalise);
  const dimensions = vectors[0]?.length ?? 0;
  const centres: Centre[] = [];
  vectors.forEach((vector, index) => {
    const best = nearest(vector, centres);
    if (best.index >= 0 && best.similarity >= threshold) {
      const centre = centres[best.index]!;
      addTo(centre, vector, best.dot);
      centre.members.push(index);
    } else {
      centres.push({
        sum: Float64Array.from(vector),
        norm: Math.sqrt(dot(vector, vector)),
        members: [index],
      });
    }
  });

  const settled = centres.filter((centre) => centre.members.length >= 2);
  const assigned = settled.map(() => [] as number[]);
  vectors.forEach((vector, index) => {
    const best = nearest(vector, settled);
    if (best.index >= 0 && best.similarity >= threshold) assigned[best.index]!.push(index);
  });

  const groups: RankedGroup[] = [];
  for (const members of assigned) {
    if (members.length < 2 || dimensions === 0) continue;
    const centre = centreOf(members, vectors);
    const scored = members.map((index) => ({
      index,
      // Rounded so that ties (both members of a pair score the same) are ties, not float noise.
      score: centre.norm > 0 ? round(dot(vectors[index]!, centre.sum) / centre.norm) : 0,
    }));
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    groups.push({ members: scored });
  }
  return groups;
}
