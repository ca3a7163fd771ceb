import { describe, expect, it } from 'vitest';
import { extractKeywords, groupByKeywords, stem, topKeywords } from './keyword-grouping.js';

const textsOf = (questions: string[], groups: ReturnType<typeof groupByKeywords>) =>
  groups.map((group) => group.members.map((member) => questions[member.index]));

describe('keyword grouping', () => {
  it('stems plurals, -ing, -ed and a final e so word forms meet', () => {
    expect(['loops', 'looping', 'loop'].map(stem)).toEqual(['loop', 'loop', 'loop']);
    expect(['create', 'created', 'creates'].map(stem)).toEqual(['creat', 'creat', 'creat']);
    expect(['dictionaries', 'dictionary'].map(stem)).toEqual(['dictionary', 'dictionary']);
    expect(['running', 'indexes', 'class', 'string'].map(stem)).toEqual([
      'run',
      'index',
      'class',
      'string',
    ]);
  });

  it('drops stop words, short words and repeats, keeping the words students wrote', () => {
    const keywords = extractKeywords('How do I write a for loop? My loops never stop, Python!');
    expect(keywords.stems).toEqual(['loop', 'never', 'stop']);
    expect(keywords.surface.get('loop')).toBe('loop');
  });

  it('groups questions around the keyword most of them share, largest first', () => {
    const questions = [
      'Why does my for loop never stop?',
      'How do I read a CSV file?',
      'What is a while loop?',
      'looping over a dictionary',
      'Can pandas read an Excel file?',
      'What is recursion?',
    ];
    const groups = groupByKeywords(questions.map(extractKeywords));
    expect(textsOf(questions, groups)).toEqual([
      ['Why does my for loop never stop?', 'What is a while loop?', 'looping over a dictionary'],
      ['How do I read a CSV file?', 'Can pandas read an Excel file?'],
    ]);
  });

  it('puts first the member sharing most of the group’s keywords, then input order', () => {
    const questions = [
      'list index error',
      'index out of range in my list',
      'list index out of range',
      'sort a list',
    ];
    const [group] = groupByKeywords(questions.map(extractKeywords));
    expect(group!.members.map((member) => questions[member.index])).toEqual([
      'index out of range in my list',
      'list index out of range',
      'list index error',
      'sort a list',
    ]);
  });

  it('is deterministic: ties between keywords go alphabetically', () => {
    const questions = ['beta alpha', 'alpha beta'];
    const first = groupByKeywords(questions.map(extractKeywords));
    expect(first).toEqual(groupByKeywords(questions.map(extractKeywords)));
    expect(topKeywords(questions.map(extractKeywords))).toEqual(['alpha', 'beta']);
  });

  it('makes no group when no keyword is shared', () => {
    expect(groupByKeywords(['for loops', 'csv files', 'hello?'].map(extractKeywords))).toEqual([]);
  });

  it('labels a group with its shared words in their commonest spelling', () => {
    const questions = ['my loops crash', 'loops and lists', 'a loop with lists', 'loops again'].map(
      extractKeywords,
    );
    expect(topKeywords(questions)).toEqual(['loops', 'lists']);
  });
});
