import type { ReactNode } from "react";

export function Banner({ kind, children }: { kind: "ok" | "warn" | "err"; children: ReactNode }) {
  return (
    <div className={`banner banner-${kind}`} role={kind === "err" ? "alert" : "status"}>
      {children}
    </div>
  );
}
