"use client";
import { useState } from "react";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label={label}
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
      <span className="visually-hidden" aria-live="polite">{copied ? " copied to the clipboard" : ""}</span>
    </button>
  );
}
