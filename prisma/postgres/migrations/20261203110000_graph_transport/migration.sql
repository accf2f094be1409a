-- AlterTable
ALTER TABLE "EmailSettings" ADD COLUMN "smtpTransport" TEXT NOT NULL DEFAULT 'smtp';
ALTER TABLE "EmailSettings" ADD COLUMN "customGraphHost" TEXT;
ALTER TABLE "OAuthConnection" ADD COLUMN "graphHost" TEXT;
