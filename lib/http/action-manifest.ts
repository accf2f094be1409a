import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The build's server actions (`<distDir>/server/server-reference-manifest.json`): for each action id,
 * the paths of the pages that include it. A call is only passed to Next.js when its id is known and it
 * is posted to one of those pages, so Next never forwards it to another worker (an internal request).
 */
export type ActionManifest = { ids: ReadonlySet<string>; pagesOf: (id: string) => readonly RegExp[] };

type Entry = { workers?: Record<string, unknown> };

/** "app/(auth)/setup/page" → /^\/setup$/ (route groups dropped, [param] one segment, [...all] the rest). */
function pagePattern(worker: string): RegExp | null {
  const parts = worker.split("/");
  if (parts[0] !== "app" || parts[parts.length - 1] !== "page") return null;
  const segments = parts.slice(1, -1).filter((s) => !/^\(.*\)$/.test(s));
  const source = segments
    .map((s) => {
      if (/^\[\[?\.\.\.\w+\]?\]$/.test(s)) return "(?:/[^?]*)?";
      if (/^\[\w+\]$/.test(s)) return "/[^/?]+";
      return `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("");
  return new RegExp(`^${source || "/"}$`);
}

export function loadActionManifest(distDir: string): ActionManifest {
  const file = path.join(distDir, "server", "server-reference-manifest.json");
  const node: Record<string, Entry> = existsSync(file)
    ? ((JSON.parse(readFileSync(file, "utf8")) as { node?: Record<string, Entry> }).node ?? {})
    : {};
  const pages = new Map<string, RegExp[]>();
  for (const [id, entry] of Object.entries(node)) {
    pages.set(
      id,
      Object.keys(entry.workers ?? {})
        .map(pagePattern)
        .filter((p): p is RegExp => p !== null),
    );
  }
  return { ids: new Set(pages.keys()), pagesOf: (id) => pages.get(id) ?? [] };
}
