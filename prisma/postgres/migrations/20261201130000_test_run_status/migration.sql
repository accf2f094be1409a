-- AlterTable
ALTER TABLE "EmailTestRun" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'done';
ALTER TABLE "EmailTestRun" ADD COLUMN "cancelRequestedAt" TIMESTAMP(3);
ALTER TABLE "EmailTestRun" ADD COLUMN "cancelledBy" TEXT;
