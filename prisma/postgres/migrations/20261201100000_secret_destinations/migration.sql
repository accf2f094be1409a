-- AlterTable: the mail hosts a connection's token may be presented to (saved at authorization).
ALTER TABLE "OAuthConnection" ADD COLUMN "smtpHost" TEXT;
ALTER TABLE "OAuthConnection" ADD COLUMN "imapHost" TEXT;

-- Existing connections are bound to the mail hosts saved today (where their tokens have been going).
UPDATE "OAuthConnection" SET "smtpHost" = (SELECT "smtpHost" FROM "EmailSettings" WHERE "id" = 1), "imapHost" = (SELECT "imapHost" FROM "EmailSettings" WHERE "id" = 1);

-- CreateTable
CREATE TABLE "PasswordConfirmation" (
    "sessionId" TEXT NOT NULL PRIMARY KEY,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "PasswordConfirmation_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
