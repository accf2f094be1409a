/** A non-secret setting's value before and after a save, for the audit trail. */
export type SettingChange = { from: string; to: string };

/**
 * Old → new values of the changed fields, for the audit trail. Only fields named in `visible` are
 * recorded with their values: a secret (or anything not listed) never appears, not even by accident
 * when a column is added. Call it from the save path with what was stored before and after.
 */
export function settingChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  visible: readonly string[],
): Record<string, SettingChange> {
  const out: Record<string, SettingChange> = {};
  for (const key of visible) {
    const from = show(before[key]);
    const to = show(after[key]);
    if (from !== to) out[key] = { from, to };
  }
  return out;
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(empty)";
  return v instanceof Date ? v.toISOString() : String(v);
}
