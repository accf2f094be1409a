import { adminRoute } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestCancel } from "@/lib/mail/test-run-repository";
import { cancelTestSchema } from "@/lib/mail/client-safe/test-email-schema";

export const dynamic = "force-dynamic";

/**
 * POST /api/test-email/cancel (form field `id`, the run's id): marks the run "cancel requested" in
 * the database; the instance running it (this one or another) stops within a moment and stores it
 * as cancelled. 202 when asked, 409 when the run has already finished, 404 for an unknown run.
 */
export const POST = adminRoute("cancelTestEmail", cancelTestSchema, async ({ id }, admin) => {
  const outcome = await requestCancel(id, admin.email);
  if (outcome === "unknown") return Response.json({ error: "There is no such test run." }, { status: 404 });
  if (outcome === "not-running")
    return Response.json({ error: "This test run has already finished." }, { status: 409 });
  await recordAudit(admin, {
    action: "settings.email.test_cancelled",
    target: "Email Settings",
    details: { run: id.slice(0, 8) },
  });
  return Response.json({ ok: true, message: "Cancelling the test…" }, { status: 202 });
});
