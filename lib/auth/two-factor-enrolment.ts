import "server-only";
import QRCode from "qrcode";
import type { TwoFactorEnrolment } from "@/lib/auth/client-safe/two-factor-schema";

/** The otpauth:// URI as an SVG data URL (the CSP allows `img-src data:`) and its secret as text. */
export async function enrolmentView(totpURI: string, backupCodes: string[]): Promise<TwoFactorEnrolment> {
  const svg = await QRCode.toString(totpURI, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  const secret = new URL(totpURI).searchParams.get("secret") ?? "";
  return {
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    secret: secret.replace(/(.{4})/g, "$1 ").trim(),
    backupCodes,
  };
}
