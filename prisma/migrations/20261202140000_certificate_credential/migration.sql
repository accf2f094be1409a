-- The app registration's credential: a client secret (as before) or a certificate. The certificate's public part is
-- kept as it is (PEM); its private key is encrypted like the other secrets.
ALTER TABLE "EmailSettings" ADD COLUMN "msCredentialType" TEXT NOT NULL DEFAULT 'secret';
ALTER TABLE "EmailSettings" ADD COLUMN "msCertificatePem" TEXT;
ALTER TABLE "EmailSettings" ADD COLUMN "msCertificateKeyEnc" TEXT;
