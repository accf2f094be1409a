/** What follows `node` in package.json's "start" script: its flags, then scripts/start.mjs. */
export function serverStartArgs(): string[];
/** The Node.js flags of package.json's "start" script (`node <flags> scripts/start.mjs`). */
export function serverNodeFlags(): string[];
