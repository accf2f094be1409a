import Link from "next/link";
import { requireAdminPage } from "@/lib/auth/guard";
import { SignOutButton } from "@/app/settings/sign-out-button";
import { NavLinks } from "@/app/settings/nav-links";
import { ConnectionHealthBanner } from "@/app/settings/connection-health-banner";

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
        {children}
      </main>
    </div>
  );
}
