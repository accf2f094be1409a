"use client";
import { useState } from "react";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  // The visible word ("Copy", then "Copied") starts the accessible name, so what is seen is what is said (WCAG 2.5.3).
  const what = label.replace(/^Copy\s*/i, "");
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
          } catch {
            // clipboard unavailable (insecure context): select the text instead
            const range = document.createRange();
            const node = document.querySelector(`[data-copy-source="${CSS.escape(text)}"]`);
            if (node) {
              range.selectNodeContents(node);
              window.getSelection()?.removeAllRanges();
              window.getSelection()?.addRange(range);
            }
          }
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {copied ? "Copied" : "Copy"}
        {what ? <span className="visually-hidden"> {what}</span> : null}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied ? `${what || "Text"} copied to the clipboard` : ""}
      </span>
    </>
  );
}
