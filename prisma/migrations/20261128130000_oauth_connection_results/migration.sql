-- AlterTable
ALTER TABLE "OAuthConnection" ADD COLUMN "lastErrorCode" TEXT;
ALTER TABLE "OAuthConnection" ADD COLUMN "lastErrorAt" DATETIME;
ALTER TABLE "OAuthConnection" ADD COLUMN "notifiedAt" DATETIME;

-- AlterTable
ALTER TABLE "OAuthState" ADD COLUMN "acceptAccount" TEXT;
ALTER TABLE "OAuthState" ADD COLUMN "result" TEXT;
