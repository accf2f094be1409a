import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { TWO_FACTOR_PAGE, twoFactorRequired } from "@/lib/auth/two-factor-requirement";
import { Banner } from "@/app/components/banner";
import { TwoFactorPanel } from "@/app/settings/two-factor/two-factor-setup";

export const metadata: Metadata = { title: "Two-factor sign-in" };

export default async function TwoFactorPage() {
  const admin = await requireAdminPage(TWO_FACTOR_PAGE);
  const required = await twoFactorRequired();
  return (
    <>
      <h1>Two-factor sign-in</h1>
      <p className="lead">
        A code from an authenticator app on your phone, asked after your password, so that a stolen password alone does
        not open Mail Connect.
      </p>
      {required && !admin.twoFactorEnabled ? (
        <div data-testid="two-factor-required">
          <Banner kind="warn">
            Two-factor sign-in is required for every administrator. Set it up to continue: the other pages and changes
            are closed to you until then.
          </Banner>
        </div>
      ) : null}
      <p data-testid="two-factor-status">
        Two-factor sign-in is <strong>{admin.twoFactorEnabled ? "on" : "off"}</strong> for {admin.email}.
      </p>
      <TwoFactorPanel enabled={Boolean(admin.twoFactorEnabled)} canDisable={!required} />
    </>
  );
}
