/**
 * A synthetic programming course for the retrieval bench: cells of 30–200 words drawn from a
 * Python-course vocabulary (Zipf-weighted, so common words like "list" or "value" match many
 * cells and rare ones few, as in real material), questions as students ask them, and dense
 * vectors clustered by topic. Everything comes from one seeded generator: the same seed gives
 * the same course and questions on every database.
 */

export interface Random {
  next(): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
  /**
   * Rank r (0-based) is drawn with weight 1/(r+1+offset) (Zipf–Mandelbrot): a few items are
   * frequent, most are rare; a larger offset flattens the head.
   */
  zipf<T>(items: readonly T[], offset?: number): T;
  gauss(): number;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const zipfTables = new Map<string, number[]>();
  const tableIds = new WeakMap<readonly unknown[], number>();
  let tables = 0;
  return {
    next,
    int: (below) => Math.floor(next() * below),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    zipf(items, offset = 0) {
      if (!tableIds.has(items)) tableIds.set(items, tables++);
      const key = `${tableIds.get(items)}:${offset}`;
      let cumulative = zipfTables.get(key);
      if (!cumulative) {
        let sum = 0;
        cumulative = items.map((_, rank) => (sum += 1 / (rank + 1 + offset)));
        zipfTables.set(key, cumulative);
      }
      const target = next() * cumulative[cumulative.length - 1]!;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle]! < target) low = middle + 1;
        else high = middle;
      }
      return items[low]!;
    },
    gauss: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

const words = (text: string) => text.trim().split(/\s+/);

/** One topic per module family; its words carry the topic in text and in questions. */
export const TOPICS: ReadonlyArray<{ title: string; words: string[] }> = [
  ['Variables and printing', 'variable assign name greeting print value output f-string format'],
  ['Numbers and arithmetic', 'integer float division remainder modulo round power operator sum'],
  ['Strings', 'string text upper lower strip split join slice character replace'],
  ['Lists', 'list append index item element slice sort reverse length insert pop'],
  ['Loops', 'loop iterate range repeat counter break continue while enumerate step'],
  ['Conditions', 'condition boolean compare equal greater branch elif else true false'],
  ['Functions', 'function parameter argument return call define default scope docstring'],
  ['Dictionaries', 'dictionary key value lookup mapping items keys count update get'],
  ['Sets and tuples', 'tuple set unique unpack immutable union intersection membership pair'],
  ['Files', 'file open read write line path close encoding folder text'],
  ['CSV data', 'csv row column header reader delimiter record field table score'],
  ['Errors and exceptions', 'exception try except raise traceback error handle finally catch'],
  ['Debugging', 'debug bug traceback breakpoint inspect trace fix mistake step typo'],
  ['Modules and imports', 'module import package library namespace install math random'],
  ['Classes and objects', 'class object instance attribute method constructor self init'],
  ['Inheritance', 'inheritance subclass parent override super base polymorphism child'],
  ['Recursion', 'recursion recursive base case call stack factorial fibonacci depth'],
  ['Searching and sorting', 'search sort binary linear swap compare bubble merge order key'],
  ['Complexity', 'complexity time memory steps growth quadratic linear logarithmic efficient'],
  ['Comprehensions', 'comprehension expression filter generator transform condition squares'],
  ['NumPy arrays', 'numpy array shape dimension vector matrix element axis broadcast dtype'],
  ['pandas', 'pandas dataframe series column index groupby filter merge describe mean'],
  ['Plotting', 'plot chart axis label figure line bar histogram legend matplotlib'],
  ['Statistics', 'mean median average deviation variance distribution sample spread mode'],
  ['Randomness and simulation', 'random simulation seed dice probability trial shuffle choice'],
  ['Text processing', 'word sentence count frequency punctuation lowercase token vowel'],
  ['Dates and times', 'date time datetime day month year duration timestamp weekday'],
  ['Testing', 'test assert expected actual case check pytest edge unit'],
  ['JSON and APIs', 'json request response api endpoint status payload parse url'],
  ['Project: quiz game', 'quiz question answer score player input game round points'],
].map(([title, list]) => ({ title: title!, words: words(list!) }));

/** Course-wide words, most frequent first (rank order matters: Zipf). */
const COMMON = words(`
  value list function code print number variable use line result loop data example output
  type string run cell error return name program write first next each new step change call
  check test get make find work show add try input true false none empty result total count
  item time point start end part right wrong case simple problem idea answer question exercise
  task solution notebook python expression statement block indent colon bracket quote comma
  operator keyword built-in method object memory copy order position size length small large
  inside outside before after again instead always never often usually instead every both
  between above below same different another whole half single pair group kind version
`);

/**
 * Calibrated against the starter module's document frequencies (`print` in 70 % of its cells,
 * `list` 38 %, `function` 24 %, `value` 18 %; its cells are ~130 characters, these ~400).
 */
const COMMON_FLATTEN = 4;

/** Filler that Postgres' english configuration drops as stop words, as in real prose. */
const STOP = words(`
  the a an to of and is in it you we this that for with on as are be can will if or not
  your our by from at what which when then so but there here its into out up do does how why
`);

const ERRORS = words(`
  NameError TypeError ValueError IndexError KeyError ZeroDivisionError AttributeError
  IndentationError SyntaxError FileNotFoundError RecursionError ImportError
`);

function prose(random: Random, topic: number, count: number): string {
  const own = TOPICS[topic]!.words;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random.next();
    if (roll < 0.42) out.push(random.pick(STOP));
    else if (roll < 0.64) out.push(random.zipf(COMMON, COMMON_FLATTEN));
    else if (roll < 0.9) out.push(random.zipf(own));
    else out.push(random.zipf(random.pick(TOPICS).words));
  }
  // Sentences of about 12 words, so the text reads like (very bland) course prose.
  return out
    .map((word, i) => (i % 12 === 11 ? `${word}.` : word))
    .join(' ')
    .replace(/^./, (first) => first.toUpperCase());
}

function codeCell(random: Random, topic: number, lines: number): string {
  const own = TOPICS[topic]!.words.filter((word) => /^[a-z]+$/.test(word));
  const ident = () =>
    (random.next() < 0.6 ? random.zipf(own) : random.zipf(COMMON, COMMON_FLATTEN)).replace(
      '-',
      '_',
    );
  const shapes = [
    () => `${ident()} = ${ident()}(${ident()})`,
    () => `for ${ident()} in ${ident()}:\n    print(${ident()})`,
    () => `if ${ident()} > ${random.int(100)}:\n    ${ident()}.append(${ident()})`,
    () => `def ${ident()}_${ident()}(${ident()}):\n    return ${ident()} * ${random.int(10)}`,
    () => `# ${prose(random, topic, 6 + random.int(8))}`,
    () => `print(f"{${ident()}} ${ident()}")`,
    () => `${ident()} = [${ident()} for ${ident()} in ${ident()}]`,
  ];
  return Array.from({ length: lines }, () => random.pick(shapes)()).join('\n');
}

export interface CorpusOptions {
  chunks: number;
  modules: number;
  notebooksPerModule: number;
  /** Share of chunks that are students' own notebooks (visible to their owner only). */
  ownShare: number;
  students: number;
  seed: number;
}

export interface CorpusChunk {
  /** Index into the bench's modules, or null for a student's own chunk. */
  module: number | null;
  /** Index into the bench's students, or null for course material. */
  owner: number | null;
  sourceKey: string;
  position: number;
  cellIndex: number;
  kind: 'markdown' | 'code';
  citation: string;
  content: string;
  topic: number;
}

/** Module m's main topic; 60 % of its cells are about it, the rest about any topic. */
export const moduleTopic = (module: number) => module % TOPICS.length;

/** The corpus in source order, generated lazily (100k chunks are ~70 MB of text). */
export function* generateCorpus(options: CorpusOptions): Generator<CorpusChunk> {
  const random = createRandom(options.seed);
  const own = Math.round(options.chunks * options.ownShare);
  const course = options.chunks - own;
  const perNotebook = Math.max(
    1,
    Math.round(course / (options.modules * options.notebooksPerModule)),
  );
  let made = 0;
  const cell = (module: number | null, topicOf: () => number) => {
    const topic = topicOf();
    const isCode = random.next() < 0.45;
    const content = isCode
      ? codeCell(random, topic, 3 + random.int(10))
      : prose(random, topic, 30 + Math.floor(170 * random.next() ** 2));
    return { topic, kind: isCode ? ('code' as const) : ('markdown' as const), content, module };
  };
  for (let m = 0; m < options.modules && made < course; m += 1) {
    for (let n = 0; n < options.notebooksPerModule && made < course; n += 1) {
      const notebookTopic = random.next() < 0.7 ? moduleTopic(m) : random.int(TOPICS.length);
      const prefix = `Module ${m + 1} · ${n + 1}. ${TOPICS[notebookTopic]!.title}`;
      for (let k = 0; k < perNotebook && made < course; k += 1, made += 1) {
        const drawn = cell(m, () =>
          random.next() < 0.6 ? notebookTopic : random.int(TOPICS.length),
        );
        yield {
          ...drawn,
          owner: null,
          sourceKey: `bench_notebook:${m}:${n}`,
          position: k,
          cellIndex: k,
          citation: `${prefix} · cell ${k + 1}`,
        };
      }
    }
  }
  for (let i = 0; i < own; i += 1) {
    const student = i % options.students;
    const notebook = Math.floor(i / options.students) % 3;
    const position = Math.floor(i / (options.students * 3));
    const drawn = cell(null, () => random.int(TOPICS.length));
    yield {
      ...drawn,
      owner: student,
      sourceKey: `bench_personal:${student}:${notebook}`,
      position,
      cellIndex: position,
      citation: `Your notebook · Practice ${notebook + 1} · cell ${position + 1}`,
    };
  }
}

export interface Question {
  text: string;
  topic: number;
  /** As the tutor searches in a workspace: question + last error + the active cell's code. */
  withCell: boolean;
}

/** Student questions; half carry the workspace context that chat adds to the search query. */
export function generateQuestions(count: number, seed: number): Question[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const topic = random.int(TOPICS.length);
    const w = () => random.zipf(TOPICS[topic]!.words);
    const c = () => random.zipf(COMMON);
    const question = random.pick([
      () => `How do I ${c()} the ${w()} in my ${w()}?`,
      () => `Why does my ${w()} give a ${random.pick(ERRORS)}?`,
      () => `What is the difference between ${w()} and ${w()}?`,
      () => `I don't understand how ${w()} works with a ${c()}`,
      () => `My ${w()} ${c()} is wrong, the ${c()} should be ${random.int(50)}`,
      () => `help with ${w()}`,
    ])();
    const withCell = i % 2 === 1;
    if (!withCell) return { text: question, topic, withCell };
    const error = `${random.pick(ERRORS)}: ${prose(random, topic, 6)}`;
    return {
      text: [question, error, codeCell(random, topic, 3 + random.int(6))].join('\n'),
      topic,
      withCell,
    };
  });
}

export function normalise(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** A random unit vector: topic centroids and module offsets. */
export function randomUnitVector(random: Random, dimensions: number): number[] {
  return normalise(Array.from({ length: dimensions }, () => random.gauss()));
}

/**
 * Noise whose length is about `length` (per-dimension sd length/√d). Chunk and query vectors are
 * normalise(topic centroid + 0.5 · module offset + noise of length 1): same-topic cosine ≈ 0.4–0.6,
 * unrelated ≈ 0, roughly how real embeddings of one course spread.
 */
export function noise(random: Random, dimensions: number, length: number): number[] {
  const sd = length / Math.sqrt(dimensions);
  return Array.from({ length: dimensions }, () => random.gauss() * sd);
}
