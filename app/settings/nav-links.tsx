"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/settings/general", label: "General Settings" },
  { href: "/settings/email", label: "Email Settings" },
  { href: "/settings/relay", label: "Relay" },
  { href: "/settings/status", label: "Status" },
  { href: "/settings/two-factor", label: "Two-factor sign-in" },
  { href: "/settings/audit", label: "Audit trail" },
  { href: "/settings/admins", label: "Administrators" },
  { href: "/settings/account", label: "Your account" },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <>
      {LINKS.map((l) => (
        <Link key={l.href} href={l.href} aria-current={pathname === l.href ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
    </>
  );
}
