import type { Page, Request } from "@playwright/test";

/** A server action call as the browser made it (Next-Action id + router state), for replaying with other input. */
export type CapturedAction = { url: string; headers: Record<string, string> };

export async function captureServerAction(page: Page, trigger: () => Promise<void>): Promise<CapturedAction> {
  const requestPromise = page.waitForRequest(
    (r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]),
  );
  await trigger();
  const request = await requestPromise;
  const h = request.headers();
  return {
    url: request.url(),
    headers: {
      "next-action": h["next-action"],
      "next-router-state-tree": h["next-router-state-tree"] ?? "",
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin: new URL(request.url()).origin,
    },
  };
}
