import { z } from "zod";
import { adminRoute } from "@/lib/auth/guard";
import { getEmailSettings, storedCertificate } from "@/lib/settings/email-repository";

/**
 * The certificate credential's public part as a `.cer` (PEM), to upload in Azure under Certificates &
 * secrets → Certificates. Only the certificate: the private key never leaves the server.
 */
export const GET = adminRoute("downloadCertificate", z.object({}), async () => {
  const settings = await getEmailSettings();
  const details = storedCertificate(settings);
  if (!details || !settings.msCertificatePem)
    return Response.json({ error: "No certificate is stored in Email Settings." }, { status: 404 });
  return new Response(settings.msCertificatePem, {
    headers: {
      "content-type": "application/pkix-cert",
      "content-disposition": `attachment; filename="mail-connect-${details.thumbprintSha256.slice(0, 8).toLowerCase()}.cer"`,
      "cache-control": "no-store",
    },
  });
});
