-- The client secret's expiry date (Azure shows it next to the new secret), entered with the secret; and what a
-- refresh refused with AADSTS70043 taught about the tenant's Conditional Access sign-in frequency.
ALTER TABLE "EmailSettings" ADD COLUMN "msClientSecretExpiresAt" DATETIME;
ALTER TABLE "OAuthConnection" ADD COLUMN "signInFrequencySeconds" INTEGER;
