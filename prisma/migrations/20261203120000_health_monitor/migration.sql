-- CreateTable
CREATE TABLE "MonitorSettings" (
    "id" INTEGER NOT NULL PRIMARY KEY DEFAULT 1,
    "intervalMinutes" INTEGER NOT NULL DEFAULT 15,
    "webhookUrl" TEXT,
    "webhookSecretEnc" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT
);

-- CreateTable
CREATE TABLE "MailboxHealth" (
    "role" TEXT NOT NULL PRIMARY KEY,
    "mailbox" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "lastCheckAt" DATETIME NOT NULL,
    "lastSummary" TEXT,
    "lastAlertAt" DATETIME,
    "alertsPaused" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "HealthCheck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "role" TEXT NOT NULL,
    "mailbox" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "hint" TEXT,
    "cards" TEXT NOT NULL,
    "instance" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AlertEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "summary" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "AlertDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "eventId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "attempts" INTEGER NOT NULL,
    "detail" TEXT NOT NULL,
    CONSTRAINT "AlertDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AlertEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HealthCheck_role_createdAt_idx" ON "HealthCheck"("role", "createdAt");

-- CreateIndex
CREATE INDEX "HealthCheck_createdAt_idx" ON "HealthCheck"("createdAt");

-- CreateIndex
CREATE INDEX "AlertEvent_kind_target_createdAt_idx" ON "AlertEvent"("kind", "target", "createdAt");

-- CreateIndex
CREATE INDEX "AlertEvent_createdAt_idx" ON "AlertEvent"("createdAt");

-- CreateIndex
CREATE INDEX "AlertDelivery_eventId_idx" ON "AlertDelivery"("eventId");
