/** Runs `npm run build` when there is no production build or the sources changed since the last one. */
export function buildIfNeeded(): void;
