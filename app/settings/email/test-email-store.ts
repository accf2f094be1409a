"use client";
import { testEmailConfigurationAction } from "@/app/settings/email/test-email-action";
import type { EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * Client state of Test Email Configuration, shared by the button (next to Save, inside the form)
 * and the results (below the form): one run at a time per page.
 */
export type TestEmailState = {
  running: boolean;
  startedAt: number | null;
  run: EmailTestRunView | null;
  history: EmailTestRunView[] | null;
  error: string | null;
};

let state: TestEmailState = { running: false, startedAt: null, run: null, history: null, error: null };
const listeners = new Set<() => void>();

function set(next: Partial<TestEmailState>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export const testEmailStore = {
  get: () => state,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  async start(): Promise<void> {
    if (state.running) return;
    set({ running: true, startedAt: Date.now(), error: null });
    try {
      const res = await testEmailConfigurationAction({});
      if (res.ok && res.data) set({ running: false, run: res.data.run, history: res.data.history });
      else set({ running: false, error: res.ok ? "The test returned no result." : res.error });
    } catch {
      set({
        running: false,
        error: "The test could not be started: the server did not answer. Check your connection and try again.",
      });
    }
  },
};

const SERVER_STATE: TestEmailState = { running: false, startedAt: null, run: null, history: null, error: null };
export const serverSnapshot = () => SERVER_STATE;
