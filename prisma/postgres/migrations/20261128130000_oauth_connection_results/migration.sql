-- AlterTable
ALTER TABLE "OAuthConnection" ADD COLUMN "lastErrorCode" TEXT;
ALTER TABLE "OAuthConnection" ADD COLUMN "lastErrorAt" TIMESTAMP(3);
ALTER TABLE "OAuthConnection" ADD COLUMN "notifiedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OAuthState" ADD COLUMN "acceptAccount" TEXT;
ALTER TABLE "OAuthState" ADD COLUMN "result" TEXT;
