/**
 * The seeded generator of the fuzz test's malformed submissions (e2e/fuzz.check.ts): a small PRNG
 * (mulberry32) and the values and bodies a fuzzer sends to a server action.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Pick = <T>(items: readonly T[]) => T;
export const picker =
  (random: () => number): Pick =>
  (items) =>
    items[Math.floor(random() * items.length)]!;

const ONE_MB_STRING = "a".repeat(1_000_000);

/** Values of the wrong type or shape for any field. */
export const BAD_VALUES: readonly unknown[] = [
  true,
  false,
  null,
  0,
  -1,
  1.5,
  "Infinity",
  "0x24b",
  "5.625e3",
  "NaN",
  [5],
  [],
  {},
  { nested: { deeper: [1, { x: "y" }] } },
  "",
  " ",
  "x\u0000\r\n\t\u0007y",
  "é\u202e😀\ufeff\u0085\u2028",
  "\ud800",
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "https://evil.test/\r\nSet-Cookie: x=1",
  "../../../etc/passwd",
  "$$not-a-reference",
  "a".repeat(5000),
];

/** React Flight reference strings that Next.js would try to resolve (refused before Next sees them). */
export const REACT_REFERENCES = ["$1:__proto__:then", "$@0", "$Q1", "$K1", "$F1", "$h0", "$T", "$D2020", "$n1"];

/** Bodies that are not a JSON list of plain values. */
export const NON_JSON_BODIES: readonly (string | Buffer)[] = [
  "",
  "{",
  "[{]",
  "[1,]",
  "undefined",
  "NaN",
  "not json at all",
  '{"a":1}',
  '"just a string"',
  "null",
  Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x5b, 0x7b]),
  Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]), // invalid UTF-8 inside a JSON string
];

export const FOREIGN_ORIGINS = ["https://evil.test", "null", "http://localhost", "https://localhost.evil.test"];

export function deep(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** A copy of `base` with one field wrong, missing, huge, or an extra key: the JSON-level mutations. */
export function mutateFields(base: Record<string, unknown>, random: () => number): Record<string, unknown> {
  const pick = picker(random);
  const keys = Object.keys(base);
  const out: Record<string, unknown> = { ...base };
  const kind = pick(["wrong", "wrong", "wrong", "missing", "extra", "control", "unicode", "reference", "huge"]);
  const key = keys.length ? pick(keys) : "field";
  if (kind === "wrong") out[key] = pick(BAD_VALUES);
  else if (kind === "missing") delete out[key];
  else if (kind === "extra") out[pick(["unexpected", "isAdmin", "version2", "role "])] = pick(BAD_VALUES);
  else if (kind === "control") out[key] = `${String(base[key] ?? "")}\u0000\u001b[2J\r\n`;
  else if (kind === "unicode") out[key] = `${String(base[key] ?? "")}\u202e\u0301😀`;
  else if (kind === "reference") out[key] = pick(REACT_REFERENCES);
  else out[key] = random() < 0.1 ? ONE_MB_STRING : "b".repeat(100_000);
  return out;
}
