"use client";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";
import { useActionButton } from "@/app/components/use-action-button";
import { testEmailConfigurationAction } from "@/app/settings/email/test-email-action";
import type { EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * What the client parts of Email Settings share: whether the form has unsaved changes (Authorize
 * waits for Save), and Test Email Configuration (the button next to Save starts it, the results
 * below the form show it): one run at a time per page.
 */
type EmailSettingsIsland = {
  unsaved: boolean;
  setUnsaved: (unsaved: boolean) => void;
  test: {
    running: boolean;
    startedAt: number | null;
    run: EmailTestRunView | null;
    history: EmailTestRunView[] | null;
    error: string | null;
    start: () => Promise<void>;
  };
};

const Island = createContext<EmailSettingsIsland | null>(null);

export function EmailSettingsIslandProvider({ children }: { children: ReactNode }) {
  const [unsaved, setUnsaved] = useState(false);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [last, setLast] = useState<{ run: EmailTestRunView; history: EmailTestRunView[] } | null>(null);
  const testEmail = useActionButton(testEmailConfigurationAction, {
    unreachable: "The test could not be started: the server did not answer. Check your connection and try again.",
  });
  const { run: runTest, pending: running, result } = testEmail;

  const value = useMemo<EmailSettingsIsland>(() => {
    const error = !result ? null : !result.ok ? result.error : result.data ? null : "The test returned no result.";
    return {
      unsaved,
      setUnsaved,
      test: {
        running,
        startedAt,
        run: last?.run ?? null,
        history: last?.history ?? null,
        error,
        start: async () => {
          if (running) return;
          setStartedAt(Date.now());
          const answer = await runTest({});
          if (answer?.ok && answer.data) setLast(answer.data);
        },
      },
    };
  }, [unsaved, running, startedAt, last, result, runTest]);

  return <Island.Provider value={value}>{children}</Island.Provider>;
}

function useIsland(): EmailSettingsIsland {
  const island = useContext(Island);
  if (!island) throw new Error("Email Settings' client parts must be inside EmailSettingsIslandProvider.");
  return island;
}

/** Test Email Configuration's state and its start. */
export function useTestEmail(): EmailSettingsIsland["test"] {
  return useIsland().test;
}

/** Whether the Email Settings form has unsaved changes, and (for the form) the setter. */
export function useUnsavedEmailSettings(): Pick<EmailSettingsIsland, "unsaved" | "setUnsaved"> {
  const { unsaved, setUnsaved } = useIsland();
  return { unsaved, setUnsaved };
}
