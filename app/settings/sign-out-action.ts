"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth/auth";
import { currentAdmin } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";

export async function signOutAction(): Promise<void> {
  const requestHeaders = await headers();
  const admin = await currentAdmin(requestHeaders);
  await auth.api.signOut({ headers: requestHeaders });
  if (admin) {
    await recordAudit(admin, { action: "auth.signed_out", target: admin.email, details: requestFacts(requestHeaders) });
  }
  redirect("/sign-in?signedOut=1");
}
