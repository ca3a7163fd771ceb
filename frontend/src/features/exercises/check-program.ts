import type { CheckResult } from './check-result';

/**
 * The Python a Check runs in the student's kernel, and how its answer is read back.
 *
 * The program runs the student's cell (`__hintbook_code__`, bound by the bridge) and then each
 * top-level statement of the tests in a copy of the kernel's namespace, so earlier cells'
 * definitions are there but nothing the tests define leaks into the student's session. Test
 * functions (`def test_…`) are called after their block ran. The first failure stops the check.
 * The result is one JSON line after a marker unique to this check, which the SPA picks out of
 * stdout: whatever the student's code prints cannot be mistaken for it.
 */
export interface CheckProgramInput {
  visibleTests: string;
  hiddenTests: string;
  marker: string;
}

/** A Python string literal (JSON's escapes are a subset of Python's). */
function py(text: string): string {
  return JSON.stringify(text);
}

export function buildCheckProgram({
  visibleTests,
  hiddenTests,
  marker,
}: CheckProgramInput): string {
  return `def __hintbook_check__(code, suites, marker):
    import ast, json
    ns = dict(globals())
    ns.pop('__hintbook_check__', None)
    ns.pop('__hintbook_code__', None)

    def describe(error):
        text = str(error)
        return type(error).__name__ + (': ' + text if text else '')

    def report(outcome, test=None, message=None):
        print(marker + json.dumps({'outcome': outcome, 'failingTest': test, 'message': message}))

    try:
        exec(compile(code, '<your cell>', 'exec'), ns)
    except BaseException as error:
        return report('error', None, describe(error))

    for kind, source in suites:
        if not source.strip():
            continue
        try:
            tree = ast.parse(source, '<tests>')
        except SyntaxError as error:
            return report('error', None, 'The tests could not be read: ' + describe(error))
        for number, node in enumerate(tree.body, start=1):
            label = (ast.get_source_segment(source, node) or '').strip().splitlines()
            label = label[0] if label else 'test %d' % number
            if kind == 'hidden':
                # Hidden tests stay unnamed on screen; their messages are the teacher's words.
                label = 'hidden test %d' % number
            calls = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith('test'):
                calls.append(node.name)
                if kind != 'hidden':
                    label = node.name
            module = ast.Module(body=[node], type_ignores=[])
            try:
                exec(compile(module, '<tests>', 'exec'), ns)
                for name in calls:
                    ns[name]()
            except AssertionError as error:
                return report('failed', label, str(error) or None)
            except BaseException as error:
                return report('error', label, describe(error))
    return report('passed')

try:
    __hintbook_check__(__hintbook_code__, [('visible', ${py(visibleTests)}), ('hidden', ${py(hiddenTests)})], ${py(marker)})
finally:
    del __hintbook_check__, __hintbook_code__
`;
}

const OUTCOMES = new Set(['passed', 'failed', 'error']);

/** The check's answer from the program's stdout; null when the program never printed it. */
export function parseCheckOutput(
  stdout: string,
  marker: string,
): Pick<CheckResult, 'outcome' | 'failingTest' | 'message'> | null {
  const line = stdout
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith(marker));
  if (line === undefined) return null;
  try {
    const parsed = JSON.parse(line.slice(marker.length)) as Record<string, unknown>;
    if (typeof parsed.outcome !== 'string' || !OUTCOMES.has(parsed.outcome)) return null;
    return {
      outcome: parsed.outcome as 'passed' | 'failed' | 'error',
      failingTest: typeof parsed.failingTest === 'string' ? parsed.failingTest : null,
      message: typeof parsed.message === 'string' ? parsed.message : null,
    };
  } catch {
    return null;
  }
}
