import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The house rule for what a client component may import: a module a `"use client"` file under app/
 * imports (directly, or through the modules it may import) is another client file, a server action
 * file (`"use server"`: only a reference reaches the browser), a component under app/components, or a
 * module in a `client-safe/` folder. Type-only imports are erased and do not count.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

/** Modules client files still import from outside a client-safe/ folder, until they move: keep this list shrinking. */

const SOURCE = /\.(ts|tsx)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return SOURCE.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

function parse(rel: string): ts.SourceFile {
  return ts.createSourceFile(rel, readFileSync(path.join(ROOT, rel), "utf8"), ts.ScriptTarget.Latest, true);
}

function directive(file: ts.SourceFile): string | null {
  const first = file.statements[0];
  return first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)
    ? first.expression.text
    : null;
}

/** The module specifiers a file imports at run time (static imports and re-exports not only of types, dynamic imports). */
function valueImports(file: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The repository file a specifier names, or null for a package. */
function resolve(specifier: string, from: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(path.join(ROOT, candidate)) && statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

type Kind = "client" | "server-action" | "client-safe" | "other";

function kindOf(rel: string): Kind {
  if (!SOURCE.test(rel)) return "client-safe"; // a stylesheet
  const marked = directive(parse(rel));
  if (marked === "use client") return "client";
  if (marked === "use server") return "server-action";
  if (rel.startsWith("app/components/") || rel.split("/").includes("client-safe")) return "client-safe";
  return "other";
}

/** Every import chain from a client file that leaves what a client may import ("a → b → c"). */
function violations(root: string): { chain: string; module: string }[] {
  const found: { chain: string; module: string }[] = [];
  const seen = new Set<string>();
  const walk = (rel: string, chain: string[]) => {
    for (const specifier of valueImports(parse(rel))) {
      if (specifier === "server-only" || specifier.startsWith("node:")) {
        found.push({ chain: [...chain, specifier].join(" → "), module: specifier });
        continue;
      }
      const target = resolve(specifier, rel);
      if (!target || seen.has(target)) continue;
      seen.add(target);
      const kind = kindOf(target);
      if (kind === "other") found.push({ chain: [...chain, target].join(" → "), module: target });
      else if (kind === "client-safe") walk(target, [...chain, target]);
    }
  };
  walk(root, [root]);
  return found;
}

const clientFiles = sourceFiles("app").filter((rel) => directive(parse(rel)) === "use client");

describe('what "use client" files import', () => {
  it("finds the client files", () => {
    expect(clientFiles).toContain("app/settings/email/email-settings-form.tsx");
  });

  it("imports only client files, server actions, app/components and client-safe/ modules", () => {
    expect(clientFiles.flatMap(violations).map((v) => v.chain)).toEqual([]);
  });
});
