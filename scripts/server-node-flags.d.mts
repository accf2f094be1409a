/** The Node.js flags of package.json's "start" script (`node <flags> scripts/start.mjs`). */
export function serverNodeFlags(): string[];
