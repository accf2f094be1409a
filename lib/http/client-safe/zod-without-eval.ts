import { z } from "zod";

/**
 * zod probes for `new Function` (to compile fast parsers) the first time it parses an object; under the
 * app's CSP (no 'unsafe-eval') the browser reports that probe as a violation even though zod catches it.
 * jitless: no probe, the interpreter only (same results). zod decides when a schema is built, so every
 * module that builds schemas imports this first.
 */
z.config({ jitless: true });
