-- better-auth's twoFactor plugin: the user's flag and its table.
ALTER TABLE "user" ADD COLUMN "twoFactorEnabled" BOOLEAN DEFAULT false;

-- CreateTable
CREATE TABLE "twoFactor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "secret" TEXT NOT NULL,
    "backupCodes" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "verified" BOOLEAN DEFAULT true,
    "failedVerificationCount" INTEGER DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    CONSTRAINT "twoFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "twoFactor_secret_idx" ON "twoFactor"("secret");

-- CreateIndex
CREATE INDEX "twoFactor_userId_idx" ON "twoFactor"("userId");

-- The idle timeout: the session's last request (written at most once a minute).
ALTER TABLE "session" ADD COLUMN "lastActiveAt" TIMESTAMP(3);

-- Per-account sign-in backoff.
CREATE TABLE "SignInBackoff" (
    "emailHash" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMP(3) NOT NULL
);

-- "Require two-factor for every administrator".
ALTER TABLE "GeneralSettings" ADD COLUMN "requireTwoFactor" BOOLEAN NOT NULL DEFAULT false;
