import { z } from 'zod';

// zod 4 probes `new Function('')` to decide whether to compile its parsers. Our CSP
// (`script-src 'self'`, no 'unsafe-eval') refuses that, and every page load would log a CSP
// violation. Parsing without the JIT is plenty fast for the SPA. Imported first in main.tsx so
// it runs before any schema in @hintbook/contracts is created (the probe runs then). That holds
// while zod and the contracts sit in the entry chunk: a schema-free helper re-exported from the
// contracts index but used only by the lazily loaded admin panel once made the bundler move them
// to a chunk of their own, evaluated before this line (the browser tests' CSP checks caught it).
z.config({ jitless: true });
