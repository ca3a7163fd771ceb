/**
 * A group of questions as both grouping methods return it: indexes into the input, most
 * typical first (ties in input order). The first member is the group's representative.
 */
export interface RankedGroup {
  members: Array<{ index: number; score: number }>;
}
