import Link from "next/link";
import { requireAdminPage } from "@/lib/auth/guard";
import { SignOutButton } from "@/app/settings/sign-out-button";
import { NavLinks } from "@/app/settings/nav-links";
import { ConnectionHealthBanner } from "@/app/settings/connection-health-banner";
import { CredentialExpiryBanner } from "@/app/settings/credential-expiry-banner";
import { buildInfo } from "@/lib/runtime/build-info";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdminPage();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Settings">
        <p className="brand">
          <Link href="/settings/email">Mail Connect</Link>
        </p>
        <NavLinks />
        <div className="who">
          Signed in as <strong>{admin.email}</strong>
          <SignOutButton />
        </div>
      </nav>
      <main id="main">
        <ConnectionHealthBanner />
        <CredentialExpiryBanner />
        {children}
        <BuildFooter />
      </main>
    </div>
  );
}

/** The running version and commit, for signed-in administrators (this layout is theirs only). */
function BuildFooter() {
  const { version, commit } = buildInfo();
  return (
    <footer className="app-footer" data-testid="build-footer">
      Mail Connect {version}
      {commit ? ` · commit ${commit}` : ""}
    </footer>
  );
}
