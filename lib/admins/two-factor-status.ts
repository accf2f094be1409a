/**
 * Whether an administrator has two-factor sign-in on. The auth library's two-factor plugin adds a
 * `twoFactorEnabled` field to the user; until that plugin is installed the field is absent, and this
 * answers false. The one place that reads it, so wiring the plugin changes nothing else.
 */
export function twoFactorEnabled(user: object): boolean {
  return (user as { twoFactorEnabled?: unknown }).twoFactorEnabled === true;
}
