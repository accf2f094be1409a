-- CreateTable
CREATE TABLE "RelaySettings" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "smtpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "maxMessageBytes" INTEGER NOT NULL DEFAULT 36700160,
    "lastUpstreamError" TEXT,
    "lastUpstreamErrorAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT
);

-- CreateTable
CREATE TABLE "RelayCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "secretHint" TEXT NOT NULL,
    "allowedFrom" TEXT NOT NULL,
    "allowedCidrs" TEXT NOT NULL,
    "ratePerMinute" INTEGER NOT NULL DEFAULT 30,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "lastUsedFrom" TEXT,
    "lastError" TEXT,
    "lastErrorAt" DATETIME
);

-- CreateTable
CREATE TABLE "RelayCounter" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RelayActivity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "credentialId" TEXT,
    "credentialName" TEXT NOT NULL,
    "mailFrom" TEXT NOT NULL,
    "recipients" INTEGER NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reply" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "RelayCredential_name_key" ON "RelayCredential"("name");

-- CreateIndex
CREATE INDEX "RelayCounter_expiresAt_idx" ON "RelayCounter"("expiresAt");

-- CreateIndex
CREATE INDEX "RelayActivity_createdAt_idx" ON "RelayActivity"("createdAt");
