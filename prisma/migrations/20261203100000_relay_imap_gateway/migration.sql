-- AlterTable
ALTER TABLE "RelaySettings" ADD COLUMN "imapEnabled" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "RelayCredential" ADD COLUMN "imapMailboxes" TEXT NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "RelayImapLogin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "credentialId" TEXT,
    "credentialName" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "remoteAddress" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "RelayImapLogin_createdAt_idx" ON "RelayImapLogin"("createdAt");
