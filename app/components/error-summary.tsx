"use client";
import { useEffect, useRef } from "react";

export type SummaryError = { field: string; message: string };

/**
 * Every error of a save at once, at the top of the form, each linking to its field; it takes the
 * focus when it appears (a new `attempt` focuses it again), so a screen reader reads it first.
 */
export function ErrorSummary({ errors, attempt }: { errors: SummaryError[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each failed attempt moves the focus here again
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [attempt, errors.length]);
  if (!errors.length) return null;
  return (
    <div
      className="error-summary"
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      data-testid="error-summary"
    >
      <h2 id="error-summary-title">
        {errors.length === 1 ? "1 field needs attention" : `${errors.length} fields need attention`}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a
              href={`#${e.field}`}
              onClick={(event) => {
                const target = document.getElementById(e.field);
                if (!target) return;
                event.preventDefault();
                target.closest("details")?.setAttribute("open", "");
                target.focus();
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
