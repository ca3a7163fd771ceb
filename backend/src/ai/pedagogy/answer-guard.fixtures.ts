/**
 * Answers a tutor model might write at hint levels 1–3, for tuning and testing the answer guard.
 * `leaks` hand over the solution and must trip; `hints` help without doing so and must pass.
 * Written to look like what models actually send: Markdown, mixed prose and code, unlabelled
 * fences, a chatty sentence before the code.
 */

const fence = '```';

/** The reference solution of an imagined exercise: the mean of the positive numbers. */
export const MEAN_OF_POSITIVES = `def mean_of_positives(numbers):
    # Only the numbers above zero count.
    positives = [n for n in numbers if n > 0]
    if not positives:
        return 0.0
    return sum(positives) / len(positives)
`;

/** A second exercise, so the overlap threshold is not tuned on one shape only. */
export const COUNT_VOWELS = `def count_vowels(text):
    count = 0
    for char in text.lower():
        if char in "aeiou":
            count += 1
    return count
`;

export interface GuardFixture {
  name: string;
  answer: string;
  reference?: string;
  /** For leaks: why it must trip. */
  reason?: 'code_lines' | 'solution_overlap';
}

export const LEAKS: GuardFixture[] = [
  {
    name: 'a fenced full function',
    reason: 'code_lines',
    answer: `Sure! Here is the complete solution:

${fence}python
def sum_list(xs):
    total = 0
    for x in xs:
        total += x
    return total
${fence}

Call it with \`sum_list([1, 2, 3])\`.`,
  },
  {
    name: 'an unfenced full function',
    reason: 'code_lines',
    answer: `You can write it like this:

def sum_list(xs):
    total = 0
    for x in xs:
        total += x
    return total

That's all there is to it.`,
  },
  {
    name: 'an unfenced function with no blank line before it',
    reason: 'code_lines',
    answer: `Here it is:
def count_vowels(text):
    count = 0
    for char in text.lower():
        if char in "aeiou":
            count += 1
    return count`,
  },
  {
    name: 'a solution split across many short fences',
    reason: 'code_lines',
    answer: `Start with the header:
${fence}python
def count_vowels(text):
    count = 0
${fence}
Then loop:
${fence}python
    for char in text.lower():
        if char in "aeiou":
${fence}
Count it:
${fence}
            count += 1
${fence}
And finish with
${fence}
    return count
${fence}`,
  },
  {
    name: 'an unlabelled fence with JavaScript',
    reason: 'code_lines',
    answer: `${fence}
function sumList(xs) {
  let total = 0;
  for (const x of xs) {
    total += x;
  }
  return total;
}
${fence}`,
  },
  {
    name: 'a REPL session',
    reason: 'code_lines',
    answer: `Try this in the console:
>>> xs = [3, -1, 4]
>>> positives = [n for n in xs if n > 0]
>>> total = sum(positives)
>>> count = len(positives)
>>> total / count
3.5`,
  },
  {
    name: 'a near-copy of the reference with new whitespace and comments',
    reason: 'solution_overlap',
    reference: MEAN_OF_POSITIVES,
    answer: `Look at this:
${fence}python
def mean_of_positives( numbers ):
    positives = [ n for n in numbers if n > 0 ]   # keep the good ones
    if not positives: return 0.0
    return sum( positives ) / len( positives )
${fence}`,
  },
  {
    name: 'the reference written on one line in prose',
    reason: 'solution_overlap',
    reference: MEAN_OF_POSITIVES,
    answer:
      'Build `positives = [n for n in numbers if n > 0]`, and when it is not empty answer `return sum(positives) / len(positives)`, else `return 0.0`.',
  },
  {
    name: 'the reference cut into two-line fences (under the line limit)',
    reason: 'solution_overlap',
    reference: COUNT_VOWELS,
    answer: `First:
${fence}
count = 0
for char in text.lower():
${fence}
then
${fence}
    if char in "aeiou":
        count += 1
${fence}`,
  },
];

export const HINTS: GuardFixture[] = [
  {
    name: 'prose with inline code',
    reference: MEAN_OF_POSITIVES,
    answer: `Good start! Python has a built-in \`sum()\` that adds up a list, and \`len()\` tells you how many items there are.
What do you get if you divide one by the other, and which numbers should be in the list first?`,
  },
  {
    name: 'a two-line snippet on unrelated data',
    reference: MEAN_OF_POSITIVES,
    answer: `A list comprehension can filter a list. For example:

${fence}python
words = ["apple", "kiwi", "banana"]
long_words = [w for w in words if len(w) > 4]
${fence}

How could you use the same idea with your numbers?`,
  },
  {
    name: 'pseudocode in words',
    reference: COUNT_VOWELS,
    answer: `Here is a plan:

1. Start a counter at zero.
2. Go through each character of the text.
3. If the character is a vowel, add one to the counter.
4. At the end, give back the counter.

${fence}
for each character in the text:
    if it is one of a, e, i, o, u:
        add one to the counter
give back the counter
${fence}

Which step would you like to try first?`,
  },
  {
    name: 'a Socratic question',
    reference: COUNT_VOWELS,
    answer:
      'What should happen to an uppercase "A"? Try `"A".lower()` in a cell and see what you get.',
  },
  {
    name: 'a pointer that names sum and a for loop',
    reference: MEAN_OF_POSITIVES,
    answer: `You are close. Instead of adding the numbers by hand, think about \`sum\`.
If you prefer a loop, the pattern is \`for x in xs:\` followed by what you do with each \`x\`.
Which numbers should be left out before you add them up?`,
  },
  {
    name: 'a one-line fix of the student’s own code',
    answer: `Your loop is fine; the problem is the indentation of the return.
${fence}python
    return total
${fence}
Should that line run inside the loop or after it?`,
  },
  {
    name: 'a short maths derivation in LaTeX',
    answer: `The mean is $\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$.
$$\\bar{x} = \\frac{3 + 4}{2}$$
What is $n$ once the negative numbers are left out?`,
  },
  {
    name: 'an error message quoted in a fence',
    answer: `Python says:
${fence}
Traceback (most recent call last):
  File "<stdin>", line 1, in <module>
ZeroDivisionError: division by zero
${fence}
When can the list you divide by be empty?`,
  },
  {
    name: 'a German hint',
    answer: `Gute Idee! Überlege, welche Zahlen in die Liste gehören.
Was passiert, wenn keine positive Zahl übrig bleibt?`,
  },
];
