import { z } from 'zod';

// zod 4 probes `new Function('')` to decide whether to compile its parsers. Our CSP
// (`script-src 'self'`, no 'unsafe-eval') refuses that, and every page load would log a CSP
// violation. Parsing without the JIT is plenty fast for the SPA. Imported first in main.tsx so
// it runs before any schema in @hintbook/contracts is used.
z.config({ jitless: true });
