/**
 * jupyterlite/python/stdlib/sitecustomize.py, added to python_stdlib.zip by the build, serves the
 * standard library's code objects that the last kernel start in this browser compiled
 * (kernel/hintbook-pyodide.js keeps them in Cache Storage under the lock's sha256 and writes them
 * to the file system before Python starts), or records them for the next start. Each kept module
 * must come from the very source the zip now holds: a rebuilt zip with a changed module compiles
 * that module from source. Run here with the host's Python on made-up zips, the way Pyodide's
 * Python imports its standard library (a zip on sys.path).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/nginx.js';

const execFileAsync = promisify(execFile);
const sitecustomize = path.join(repoRoot, 'jupyterlite/python/stdlib/sitecustomize.py');

/**
 * `python3 -c HELPER zip|start ...`: `zip PATH SOURCE` writes a zip holding `stdmod.py`;
 * `start ZIP KEPT [RECORD_TO] [FORGE_VALUE]` loads sitecustomize.py's hook as Python's start
 * would, with KEPT as the kept file and ZIP as the standard library, imports stdmod and prints
 * what it saw as JSON. RECORD_TO receives what this start recorded. FORGE_VALUE rewrites the
 * recorded code of stdmod (CRC and size kept) to set another VALUE, which shows whether kept
 * code runs.
 */
const HELPER = `
import importlib.util, json, marshal, os, sys, zipfile
if sys.argv[1] == "zip":
    with zipfile.ZipFile(sys.argv[2], "w") as z:
        z.writestr("stdmod.py", sys.argv[3])
    sys.exit()
archive, kept = os.path.abspath(sys.argv[2]), sys.argv[3]
spec = importlib.util.spec_from_file_location("sitecustomize_under_test", ${JSON.stringify(sitecustomize)})
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)
hook._keep_zip_bytecode(kept, archive)
sys.path.insert(0, archive)
import stdmod
recorded = hook.take_recorded()
if len(sys.argv) > 4 and recorded:
    table = marshal.loads(recorded)
    if len(sys.argv) > 5:
        crc, size, _code = table["stdmod"]
        table["stdmod"] = (crc, size, marshal.dumps(compile(f"VALUE = {sys.argv[5]}", stdmod.__file__, "exec")))
    with open(sys.argv[4], "wb") as file:
        file.write(marshal.dumps(table))
print(json.dumps({"value": stdmod.VALUE, "keptUsed": hook.kept_used(), "recorded": sorted(marshal.loads(recorded)) if recorded else None, "file": stdmod.__file__}))
`;
const python = async (...args: string[]) =>
  (await execFileAsync('python3', ['-c', HELPER, ...args])).stdout;
const start = async (...args: string[]) =>
  JSON.parse(await python('start', ...args)) as {
    value: number;
    keptUsed: number;
    recorded: string[] | null;
    file: string;
  };
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hintbook-stdlib-bytecode-'));
  await python('zip', path.join(dir, 'build1.zip'), 'VALUE = 1\n');
  // The next build: the same module changed (another size and CRC).
  await python('zip', path.join(dir, 'build2.zip'), 'VALUE = 22\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sitecustomize.py: standard-library bytecode kept between kernel starts', () => {
  it('records what a start without kept bytecode compiles from the zip', async () => {
    const first = await start(
      path.join(dir, 'build1.zip'),
      path.join(dir, 'none'),
      path.join(dir, 'recorded'),
    );
    expect(first).toMatchObject({ value: 1, keptUsed: 0, recorded: ['stdmod'] });
    expect(first.file).toBe(path.join(dir, 'build1.zip', 'stdmod.py'));
    expect((await readFile(path.join(dir, 'recorded'))).length).toBeGreaterThan(0);
  });

  it('runs the kept code at the next start of the same build, records nothing, removes the file', async () => {
    // Forged: the kept code sets VALUE = 7, so running it shows that it, not the source, ran.
    await start(path.join(dir, 'build1.zip'), path.join(dir, 'none'), path.join(dir, 'kept'), '7');
    const next = await start(path.join(dir, 'build1.zip'), path.join(dir, 'kept'));
    expect(next).toMatchObject({ value: 7, keptUsed: 1, recorded: null });
    // Read once, while Python starts: student code cannot find it to read or rewrite later.
    expect(await exists(path.join(dir, 'kept'))).toBe(false);
  });

  it('compiles a module from source when the zip holds another version of it (a rebuild)', async () => {
    await start(path.join(dir, 'build1.zip'), path.join(dir, 'none'), path.join(dir, 'stale'), '7');
    const rebuilt = await start(path.join(dir, 'build2.zip'), path.join(dir, 'stale'));
    expect(rebuilt).toMatchObject({ value: 22, keptUsed: 0 });
  });

  it('starts as without kept bytecode when the kept file is not what it wrote', async () => {
    await execFileAsync('python3', [
      '-c',
      `open(${JSON.stringify(path.join(dir, 'garbage'))}, "wb").write(b"not marshal data")`,
    ]);
    const broken = await start(path.join(dir, 'build1.zip'), path.join(dir, 'garbage'));
    expect(broken).toMatchObject({ value: 1, keptUsed: 0, recorded: ['stdmod'] });
  });
});
