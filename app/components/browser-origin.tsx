"use client";
import { type ReactNode, useEffect, useState } from "react";
import { Banner } from "@/app/components/banner";

/** The origin this page is open at (null before hydration: the server cannot know it). */
export function useBrowserOrigin(): string | null {
  const [origin, setOrigin] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  return origin;
}

/**
 * Microsoft sends the admin back to the Server Base URL after Authorize: opened at another origin, this
 * browser is not signed in there and the authorization fails. Shown on General and Email Settings.
 */
export function OriginMismatchWarning({ serverBaseOrigin }: { serverBaseOrigin: string | null }) {
  const origin = useBrowserOrigin();
  if (!origin || !serverBaseOrigin || origin === serverBaseOrigin) return null;
  return (
    <div className="spaced" data-testid="origin-mismatch">
      <Banner kind="warn">
        You are using this page at <strong>{origin}</strong>, but the Server Base URL points to{" "}
        <strong>{serverBaseOrigin}</strong>. After you authorize, Microsoft sends you back to the Server Base URL; if
        that is not the address you signed in on, you will arrive signed out and the authorization will fail.
      </Banner>
    </div>
  );
}

/** A setup checklist row that is only done when this page is also open at the Server Base URL's origin. */
export function OriginCheckedItem(props: {
  testId: string;
  done: boolean;
  serverBaseOrigin: string | null;
  title: ReactNode;
  detail: ReactNode;
}) {
  const origin = useBrowserOrigin();
  const elsewhere = Boolean(origin && props.serverBaseOrigin && origin !== props.serverBaseOrigin);
  const done = props.done && !elsewhere;
  return (
    <li data-testid={props.testId} data-done={done ? "true" : "false"}>
      <span className={done ? "tick tick-done" : "tick"} aria-hidden="true">
        {done ? "✓" : ""}
      </span>
      <span>
        <strong>{props.title}</strong>
        <span className="visually-hidden">{done ? " (done)" : " (to do)"}</span>
        <br />
        <span className="hint">
          {props.detail}
          {elsewhere ? ` — but this page is open at ${origin}: Authorize would come back signed out.` : null}
        </span>
      </span>
    </li>
  );
}
