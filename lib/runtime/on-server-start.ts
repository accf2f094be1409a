import "server-only";
import { issueSetupCode } from "@/lib/auth/setup-code";
import { startKeepAliveScheduler } from "@/lib/microsoft/keepalive";

/** Start-up work that needs the database: the first-run setup code; the daily Microsoft token keep-alive. */
export async function onServerStart(): Promise<void> {
  startKeepAliveScheduler();
  try {
    const code = await issueSetupCode();
    if (code) {
      const line = "*".repeat(64);
      console.log(
        `\n${line}\nNo administrator exists yet. Open /setup and enter this one-time setup code:\n\n    ${code}\n\n` +
          `(A new code is printed at every start until the first administrator is created.\n` +
          ` Automation: npm run admin:create -- --email you@example.com)\n${line}\n`,
      );
    }
  } catch (error) {
    console.error("Could not prepare first-run setup:", error instanceof Error ? error.message : error);
  }
}
