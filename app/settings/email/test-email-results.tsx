"use client";
import { useEffect, useState } from "react";
import { useTestEmail } from "@/app/settings/email/email-settings-island";
import { ResultCard, RunningCard } from "@/app/settings/email/result-card";
import { Banner } from "@/app/components/banner";
import type { CheckId, EmailTestRunView } from "@/lib/mail/client-safe/types";
import styles from "@/app/settings/email/test-email.module.css";
import { formatUtc } from "@/lib/format/client-safe/utc";

/** What to do after a run, in one sentence. */
function nextStep(run: EmailTestRunView): string {
  if (run.ok) return "Mail can be sent and approval replies read with the saved settings.";
  const failed = run.cards.find((c) => c.status === "failed");
  if (run.cards.some((c) => c.reauthorize)) return "Re-Authorize the mailbox shown below, then test again.";
  return failed
    ? `Start with “${failed.name}” below: its “How to fix” says what to change; save, then test again.`
    : "Test again after fixing the settings.";
}

/** Results of Test Email Configuration (in progress, then one card per check) and the last 20 runs. */
export function TestEmailResults({ expected, initialRuns }: { expected: CheckId[]; initialRuns: EmailTestRunView[] }) {
  const state = useTestEmail();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!state.running) return;
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, [state.running]);

  const history = state.history ?? initialRuns;
  const run = state.run;
  const passed = run ? run.cards.filter((c) => c.ok).length : 0;

  return (
    <section
      className={`panel ${styles.section}`}
      aria-labelledby="test-email-heading"
      data-testid="test-email-results"
    >
      <h2 id="test-email-heading">Test Email Configuration</h2>
      <p className="hint flush-top">
        Sends a test message to your own address through the saved SMTP settings, and reads the Approval Reply inbox
        over IMAP.
      </p>
      <div aria-live="polite" className="visually-hidden">
        {state.running
          ? "Testing the email configuration…"
          : run
            ? `Test finished: ${passed} of ${run.cards.length} checks passed.`
            : ""}
      </div>
      {state.error ? <Banner kind="err">{state.error}</Banner> : null}
      {state.running ? (
        <div className={styles.cards}>
          {expected.map((id) => (
            <RunningCard key={id} id={id} elapsedMs={now - (state.startedAt ?? now)} />
          ))}
        </div>
      ) : run ? (
        <>
          <div data-testid="run-summary">
            <Banner kind={run.ok ? "ok" : "err"}>
              <strong>{run.ok ? "All checks passed." : `${passed} of ${run.cards.length} checks passed.`}</strong>{" "}
              <span data-testid="run-next">{nextStep(run)}</span>{" "}
              <span className="hint">
                Run {run.id.slice(0, 8)}, {run.durationMs} ms, {formatUtc(run.createdAt)}
              </span>
            </Banner>
          </div>
          <div className={styles.cards}>
            {run.cards.map((c) => (
              <ResultCard key={c.id} card={c} />
            ))}
          </div>
        </>
      ) : null}

      <h3 className={styles.historyTitle}>Last {history.length === 1 ? "run" : `${history.length} runs`}</h3>
      {history.length === 0 ? (
        <p className="hint">No test has been run yet.</p>
      ) : (
        <table className={styles.history} data-testid="test-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Result</th>
              <th scope="col">Checks</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.id}>
                <td>{formatUtc(r.createdAt)}</td>
                <td>{r.userEmail}</td>
                <td>
                  {r.ok ? "Passed" : "Failed"} <span className="hint">({r.durationMs} ms)</span>
                </td>
                <td>
                  <details>
                    <summary>
                      {r.cards.map((c) => `${c.ok ? "✓" : c.status === "skipped" ? "–" : "✗"} ${c.id}`).join("  ")}
                    </summary>
                    <div className={`${styles.cards} ${styles.cardsNested}`}>
                      {r.cards.map((c) => (
                        <ResultCard key={c.id} card={c} scope={`history-${r.id.slice(0, 8)}-`} />
                      ))}
                    </div>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
