import { describe, expect, it } from 'vitest';
import { mockEmbed } from '../../ai/embeddings/mock.js';
import { groupBySimilarity } from './similarity-grouping.js';

const embed = (texts: string[]) => texts.map((text) => mockEmbed(text, 256));
const textsOf = (texts: string[], groups: ReturnType<typeof groupBySimilarity>) =>
  groups.map((group) => group.members.map((member) => texts[member.index]));

describe('grouping by similarity', () => {
  const questions = [
    'How do I write a for loop in Python?',
    'What does IndexError list index out of range mean?',
    'how to write a for loop',
    'How can I read a CSV file with pandas?',
    'I get IndexError: list index out of range',
    'What is a for loop and how do I write one?',
    'read csv file pandas',
    'What is a dictionary?',
  ];

  it('puts rephrasings of one question together and leaves lone questions out', () => {
    const groups = groupBySimilarity(embed(questions));
    const sorted = textsOf(questions, groups).map((texts) => [...texts!].sort());
    expect(sorted).toHaveLength(3);
    expect(sorted).toEqual(
      expect.arrayContaining([
        [
          'How do I write a for loop in Python?',
          'What is a for loop and how do I write one?',
          'how to write a for loop',
        ],
        [
          'I get IndexError: list index out of range',
          'What does IndexError list index out of range mean?',
        ],
        ['How can I read a CSV file with pandas?', 'read csv file pandas'],
      ]),
    );
  });

  it('ranks the most central member first, scores being similarity to the centre', () => {
    const loops = questions.filter((text) => /for loop/.test(text));
    const [group] = groupBySimilarity(embed(loops));
    expect(group!.members).toHaveLength(3);
    expect(loops[group!.members[0]!.index]).toBe('How do I write a for loop in Python?');
    const scores = group!.members.map((member) => member.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((score) => score > 0.6 && score <= 1)).toBe(true);
  });

  it('gives the same groups for the same input', () => {
    expect(groupBySimilarity(embed(questions))).toEqual(groupBySimilarity(embed(questions)));
  });

  it('honours the threshold', () => {
    const pair = embed(['how to write a for loop', 'How do I write a for loop in Python?']);
    expect(groupBySimilarity(pair, 0.5)).toHaveLength(1);
    expect(groupBySimilarity(pair, 0.95)).toEqual([]);
  });

  it('moves an early question to the better group that formed after it', () => {
    const a1 = [1, 0, 0];
    const a2 = [1, 0, 0];
    const b = [0.6, 0.8, 0]; // just close enough to the a's when it arrives
    const c = [0, 1, 0];
    const d = [0.1, 0.995, 0];
    const groups = groupBySimilarity([a1, a2, b, c, d], 0.6);
    expect(groups.map((group) => group.members.map((m) => m.index).sort())).toEqual([
      [0, 1],
      [2, 3, 4],
    ]);
  });

  it('leaves out a question that no longer fits once its group has grown', () => {
    const a = [1, 0, 0];
    const b = [0.62, 0.78, 0];
    const c = [0.2, 0.98, 0];
    const d = [0.1, 0.99, 0.1];
    const groups = groupBySimilarity([a, b, c, d], 0.6);
    expect(groups.map((group) => group.members.map((m) => m.index).sort())).toEqual([[1, 2, 3]]);
  });

  it('copes with no vectors and with zero vectors', () => {
    expect(groupBySimilarity([])).toEqual([]);
    expect(
      groupBySimilarity([
        [0, 0],
        [0, 0],
      ]),
    ).toEqual([]);
  });
});
