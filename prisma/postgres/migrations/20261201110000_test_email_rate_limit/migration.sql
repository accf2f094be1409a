-- CreateTable
CREATE TABLE "TestEmailStart" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "TestEmailStart_userId_startedAt_idx" ON "TestEmailStart"("userId", "startedAt");
