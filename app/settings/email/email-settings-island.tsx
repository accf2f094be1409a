"use client";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useReducer, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { readTestRun } from "@/app/settings/email/test-run-stream";
import type { CheckCard, CheckId, CheckProgress, EmailTestRunView, TestRunEvent } from "@/lib/mail/client-safe/types";

/**
 * What the client parts of Email Settings share: whether the form has unsaved changes (Authorize
 * waits for Save), and Test Email Configuration (the button next to Save starts it, the results
 * below the form show it as each check finishes): one run at a time per page.
 */
type TestRun = {
  running: boolean;
  cancelling: boolean;
  /** The run's id once the server has stored it (Cancel needs it). */
  runId: string | null;
  /** When this page started the run (its own clock: elapsed times are never negative). */
  startedAt: number | null;
  to: string | null;
  checks: CheckId[] | null;
  progress: Partial<Record<CheckId, CheckProgress>>;
  /** Final cards of the running run, as they arrived. */
  cards: CheckCard[];
  run: EmailTestRunView | null;
  history: EmailTestRunView[] | null;
  error: string | null;
};

type EmailSettingsIsland = {
  unsaved: boolean;
  setUnsaved: (unsaved: boolean) => void;
  test: TestRun & {
    /** The signed-in admin: the default recipient of the test message. */
    adminEmail: string;
    start: (to?: string) => Promise<void>;
    cancel: () => Promise<void>;
  };
};

const IDLE: TestRun = {
  running: false,
  cancelling: false,
  runId: null,
  startedAt: null,
  to: null,
  checks: null,
  progress: {},
  cards: [],
  run: null,
  history: null,
  error: null,
};

type Action =
  | { type: "start"; at: number }
  | { type: "event"; event: TestRunEvent }
  | { type: "cancelling"; on: boolean }
  | { type: "broken"; error: string };

function reduce(state: TestRun, action: Action): TestRun {
  switch (action.type) {
    case "start":
      return { ...IDLE, history: state.history, running: true, startedAt: action.at };
    case "cancelling":
      return { ...state, cancelling: action.on };
    case "broken":
      return { ...state, running: false, cancelling: false, error: action.error };
    case "event": {
      const e = action.event;
      if (e.type === "started") return { ...state, runId: e.runId, to: e.to, checks: e.checks };
      if (e.type === "phase") return { ...state, progress: { ...state.progress, [e.check]: e } };
      if (e.type === "card") return { ...state, cards: [...state.cards.filter((c) => c.id !== e.card.id), e.card] };
      if (e.type === "done") return { ...state, running: false, cancelling: false, run: e.run, history: e.history };
      return { ...state, running: false, cancelling: false, error: e.error };
    }
  }
}

const Island = createContext<EmailSettingsIsland | null>(null);

export function EmailSettingsIslandProvider({ adminEmail, children }: { adminEmail: string; children: ReactNode }) {
  const router = useRouter();
  const [unsaved, setUnsaved] = useState(false);
  const [state, dispatch] = useReducer(reduce, IDLE);
  const active = useRef(false);
  const runId = useRef<string | null>(null);

  const start = useCallback(
    async (to?: string) => {
      if (active.current) return;
      active.current = true;
      runId.current = null;
      dispatch({ type: "start", at: Date.now() });
      try {
        const outcome = await readTestRun(to, (event) => {
          if (event.type === "started") runId.current = event.runId;
          dispatch({ type: "event", event });
        });
        if (outcome.error) dispatch({ type: "broken", error: outcome.error });
        // The run may have marked a connection "needs re-authorization", and the setup checklist reads
        // the last run: the page's server parts are refreshed once it has ended.
        if (outcome.finished) router.refresh();
      } finally {
        active.current = false;
      }
    },
    [router],
  );

  const cancel = useCallback(async () => {
    const id = runId.current;
    if (!id) return;
    dispatch({ type: "cancelling", on: true });
    const body = new FormData();
    body.set("id", id);
    const res = await fetch("/api/test-email/cancel", { method: "POST", body }).catch(() => null);
    // 409: it finished meanwhile (its last lines are on their way); anything else: the run goes on.
    if (!res || (!res.ok && res.status !== 409)) dispatch({ type: "cancelling", on: false });
  }, []);

  const value = useMemo<EmailSettingsIsland>(
    () => ({ unsaved, setUnsaved, test: { ...state, adminEmail, start, cancel } }),
    [unsaved, state, adminEmail, start, cancel],
  );

  return <Island.Provider value={value}>{children}</Island.Provider>;
}

function useIsland(): EmailSettingsIsland {
  const island = useContext(Island);
  if (!island) throw new Error("Email Settings' client parts must be inside EmailSettingsIslandProvider.");
  return island;
}

/** Test Email Configuration's state, its start and its Cancel. */
export function useTestEmail(): EmailSettingsIsland["test"] {
  return useIsland().test;
}

/** Whether the Email Settings form has unsaved changes, and (for the form) the setter. */
export function useUnsavedEmailSettings(): Pick<EmailSettingsIsland, "unsaved" | "setUnsaved"> {
  const { unsaved, setUnsaved } = useIsland();
  return { unsaved, setUnsaved };
}
