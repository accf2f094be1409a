import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { auth } from "@/lib/auth/auth";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";
import { activityWriteDue, type SessionEnd, sessionEnd } from "@/lib/auth/session-limits";
import { logger } from "@/lib/log/logger";

const log = logger("session");

export type Admin = {
  id: string;
  email: string;
  name: string;
  sessionId: string;
  /** Whether two-factor sign-in is set up (absent: not known, counted as not set up). */
  twoFactorEnabled?: boolean;
  /** Another administrator set the password (initial or reset): it must be changed first (absent: no). */
  mustChangePassword?: boolean;
};

/** The signed-in administrator, or why there is none (`ended`: the session just passed a limit and was deleted). */
export type SessionState = { admin: Admin; ended?: undefined } | { admin: null; ended: SessionEnd | null };

/** The signed-in administrator for the current request, or null. */
export async function currentAdmin(requestHeaders?: Headers): Promise<Admin | null> {
  return (await currentSession(requestHeaders)).admin;
}

/** The same with the reason a session ended (the guard tells the sign-in page). */
export async function currentSession(requestHeaders?: Headers): Promise<SessionState> {
  return requestHeaders ? sessionOf(requestHeaders) : currentRequestSession();
}

/** Read once per request however many server components ask (layout, page, sections). */
const currentRequestSession = cache(async (): Promise<SessionState> => sessionOf(await headers()));

/**
 * The session, checked against the idle timeout and the absolute lifetime on the server (a session past
 * either is deleted and audited), and its activity recorded (at most once a minute): every page, action
 * and route request comes through here, client-side navigations included.
 */
async function sessionOf(requestHeaders: Headers): Promise<SessionState> {
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return { admin: null, ended: null };
  const now = new Date();
  const times = { createdAt: session.session.createdAt, lastActiveAt: session.session.lastActiveAt ?? null };
  const ended = sessionEnd(times, now);
  const actor = { id: session.user.id, email: session.user.email };
  if (ended) {
    const { count } = await db.session.deleteMany({ where: { id: session.session.id } });
    if (count > 0) {
      log.info({ admin: session.user.email, limit: ended }, "session ended");
      await recordAudit(actor, {
        action: "auth.session_expired",
        target: session.user.email,
        details: {
          ...requestFacts(requestHeaders),
          reason: ended === "idle" ? "30 minutes without activity" : "12 hours after sign-in",
        },
      });
    }
    return { admin: null, ended };
  }
  if (activityWriteDue(times.lastActiveAt, now)) {
    await db.session.updateMany({ where: { id: session.session.id }, data: { lastActiveAt: now } });
  }
  return {
    admin: {
      id: session.user.id,
      email: session.user.email,
      name: session.user.name,
      sessionId: session.session.id,
      twoFactorEnabled: Boolean(session.user.twoFactorEnabled),
      mustChangePassword: session.user.mustChangePassword === true,
    },
  };
}
