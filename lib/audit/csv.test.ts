import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "@/lib/audit/csv";

describe("audit CSV", () => {
  it("escapes cells a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe('"\'+1"');
    expect(csvCell("-2+3")).toBe('"\'-2+3"');
    expect(csvCell("@SUM(A1)")).toBe('"\'@SUM(A1)"');
    expect(csvCell("\tx")).toBe('"\'\tx"');
  });
  it("quotes every cell and doubles quotes; null is empty", () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell("a=b")).toBe('"a=b"');
    expect(
      toCsv([
        ["a", 1],
        ["-x", null],
      ]),
    ).toBe('"a","1"\r\n"\'-x",""\r\n');
  });
});
