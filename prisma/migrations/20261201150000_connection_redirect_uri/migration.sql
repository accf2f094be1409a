-- The redirect URI Microsoft accepted when the connection was authorized (Email Settings warns when it changed since).
ALTER TABLE "OAuthConnection" ADD COLUMN "redirectUri" TEXT;
