import { z } from 'zod';

// Zod 4 compiles its object parsers with `new Function` after probing whether eval is allowed. The page's
// Content-Security-Policy allows no eval (script-src 'self'), so the probe is refused — caught by Zod, but reported
// as a CSP violation on every page. jitless skips the probe and the compiled path (the same results, interpreted).
// The probe runs when an object schema is built, i.e. when the contract modules load: this module is imported first.
z.config({ jitless: true });
