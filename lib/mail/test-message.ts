import os from "node:os";

/** The test message Test Email Configuration sends: who asked, from which instance, through which server. */
export function testMessage(input: {
  runId: string;
  at: Date;
  admin: { email: string; name?: string | null };
  serverBaseUrl?: string | null;
  smtp: string;
}) {
  const time = input.at.toISOString().slice(11, 19);
  return {
    subject: `Mail Connect test message ${time} UTC (run ${input.runId})`,
    text: [
      "This is a test message from Mail Connect: sending mail works.",
      "",
      `Sent by: ${input.serverBaseUrl ?? "(Server Base URL not set)"}, instance ${os.hostname()} (process ${process.pid})`,
      `Requested by: ${input.admin.name ? `${input.admin.name} <${input.admin.email}>` : input.admin.email}, who clicked "Test Email Configuration" at ${input.at.toISOString()}`,
      `Through: ${input.smtp}`,
      `Run id: ${input.runId}`,
      "",
      "No reply is needed.",
    ].join("\n"),
  };
}
