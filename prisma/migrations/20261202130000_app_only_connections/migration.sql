-- App-only (client credentials) connections: a connection type per mailbox role, and their own table.
ALTER TABLE "EmailSettings" ADD COLUMN "smtpConnectionType" TEXT NOT NULL DEFAULT 'delegated';
ALTER TABLE "EmailSettings" ADD COLUMN "imapConnectionType" TEXT NOT NULL DEFAULT 'delegated';

-- CreateTable
CREATE TABLE "AppOnlyConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "tokenRoles" TEXT,
    "lastTokenAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "lastError" TEXT,
    "lastErrorCode" TEXT,
    "lastErrorAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "AppOnlyConnection_clientId_mailbox_key" ON "AppOnlyConnection"("clientId", "mailbox");
