"use client";
import { useEffect, useState } from "react";
import type { UseFormReturn } from "react-hook-form";
import { Field } from "@/app/components/field";
import { SecretInput } from "@/app/settings/email/secret-input";
import type { SecretStatuses } from "@/app/settings/email/types";
import {
  CREDENTIAL_LABELS,
  CREDENTIAL_TYPES,
  type EmailSettingsInput,
  MAX_PEM_CHARS,
  MAX_PFX_BASE64_CHARS,
} from "@/lib/settings/client-safe/email-schema";
import { CERTIFICATE_DOWNLOAD_PATH, type CertificateDetails } from "@/lib/microsoft/client-safe/certificate-view";
import styles from "@/app/settings/email/certificate.module.css";

type Source = "keep" | "generate" | "pem" | "pfx";
const SOURCE_LABELS: Record<Source, string> = {
  keep: "Keep the stored certificate",
  generate: "Generate a new key and certificate",
  pem: "Upload a PEM certificate and private key",
  pfx: "Upload a PFX file",
};

function base64Of(buffer: ArrayBuffer): string {
  let binary = "";
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The app registration's credential: a client secret (write-only), or a certificate — the stored one's
 * thumbprint, subject and expiry with its `.cer` download, or a new one generated on the server or
 * uploaded (PEM certificate + key, or PFX + password). Files are read here and checked on the server at
 * Save; the private key is never sent back.
 */
export function CredentialFields({
  form,
  secrets,
  certificate,
}: {
  form: UseFormReturn<EmailSettingsInput>;
  secrets: SecretStatuses;
  certificate: CertificateDetails | null;
}) {
  const { register, watch, setValue, formState } = form;
  const errors = formState.errors;
  const credentialType = watch("msCredentialType") ?? "secret";
  const [source, setSource] = useState<Source>(certificate ? "keep" : "generate");
  const [pem, setPem] = useState({ certificate: "", privateKey: "", password: "" });
  const [pfx, setPfx] = useState({ pfxBase64: "", password: "" });
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  // After a save the page shows the stored certificate: keep it unless asked otherwise.
  useEffect(() => setSource(certificate ? "keep" : "generate"), [certificate]);
  // What this save does with the certificate follows the credential and the chosen source.
  useEffect(() => {
    if (credentialType !== "certificate") {
      if (form.getValues("msCertificate") !== "") form.setValue("msCertificate", "");
    } else if (source === "generate" && form.getValues("msCertificate") === "") {
      form.setValue("msCertificate", { kind: "generate" }, { shouldDirty: true });
    }
  }, [credentialType, source, form]);
  const secretInput = register("msClientSecret");
  const certificateError =
    tooLarge ??
    (errors.msCertificate?.message as string | undefined) ??
    Object.values((errors.msCertificate ?? {}) as Record<string, { message?: string }>).find((e) => e?.message)
      ?.message;

  function upload(next: Source, values: { pem?: typeof pem; pfx?: typeof pfx } = {}) {
    const p = values.pem ?? pem;
    const x = values.pfx ?? pfx;
    const value: EmailSettingsInput["msCertificate"] =
      next === "keep"
        ? ""
        : next === "generate"
          ? { kind: "generate" }
          : next === "pem"
            ? { kind: "pem", ...p }
            : { kind: "pfx", ...x };
    setValue("msCertificate", value, { shouldDirty: true });
  }

  async function readFile(file: File | undefined, limit: number, as: "text" | "base64"): Promise<string | null> {
    setTooLarge(null);
    if (!file) return "";
    if (file.size > limit) {
      setTooLarge(`${file.name} is too large for a certificate file (at most ${Math.round(limit / 1000)} kB).`);
      return null;
    }
    return as === "text" ? await file.text() : base64Of(await file.arrayBuffer());
  }

  const stateText =
    certificate?.state === "expired"
      ? `This certificate expired on ${certificate.notAfter.slice(0, 10)}: generate or upload a new one.`
      : certificate?.state === "expires-soon"
        ? `This certificate expires on ${certificate.notAfter.slice(0, 10)}: generate or upload a new one and add it in Azure before then.`
        : null;

  return (
    <>
      <Field id="msCredentialType" label="Credential" error={errors.msCredentialType?.message} wide>
        {(a) => (
          <select {...a} {...register("msCredentialType")}>
            {CREDENTIAL_TYPES.map((t) => (
              <option key={t} value={t}>
                {CREDENTIAL_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {credentialType === "secret" ? (
        <>
          <SecretInput
            id="msClientSecret"
            label="Client Secret"
            status={secrets.msClientSecret}
            error={errors.msClientSecret?.message}
            hint="Paste the secret's Value, not its Secret ID."
            input={{
              ...secretInput,
              onChange: (e) => {
                // A new secret has its own expiry date: the stored one's is cleared until the new one is entered.
                const date = form.getValues("msClientSecretExpiresOn");
                if (e.target.value !== "" && date && date === formState.defaultValues?.msClientSecretExpiresOn)
                  setValue("msClientSecretExpiresOn", "", { shouldDirty: true });
                return secretInput.onChange(e);
              },
            }}
            clear={register("msClientSecretClear")}
          />
          <Field
            id="msClientSecretExpiresOn"
            label="Secret expires"
            error={errors.msClientSecretExpiresOn?.message}
            hint="Optional, but asked for: the Expires date Azure shows next to the secret. Mail Connect warns 30, 7 and 1 days before it."
          >
            {(a) => <input type="date" {...a} {...register("msClientSecretExpiresOn")} />}
          </Field>
        </>
      ) : (
        <div className="field field-wide" data-testid="certificate-credential">
          {certificate ? (
            <dl className={styles.details} aria-label="Stored certificate">
              <dt>Thumbprint (SHA-256)</dt>
              <dd className={styles.thumbprint} data-testid="certificate-thumbprint">
                {certificate.thumbprintSha256}
              </dd>
              <dt>Subject</dt>
              <dd>{certificate.subject}</dd>
              <dt>Expires</dt>
              <dd data-testid="certificate-expiry">{certificate.notAfter.slice(0, 10)}</dd>
              <dt>Azure</dt>
              <dd>
                <a href={CERTIFICATE_DOWNLOAD_PATH} download>
                  Download the .cer
                </a>{" "}
                and upload it under Certificates &amp; secrets → Certificates.
              </dd>
            </dl>
          ) : (
            <p className="hint">No certificate stored yet.</p>
          )}
          {stateText ? (
            <p className={styles.warn} role="status">
              {stateText}
            </p>
          ) : null}
          <fieldset className={styles.sources}>
            <legend>{certificate ? "Certificate" : "New certificate"}</legend>
            {(Object.keys(SOURCE_LABELS) as Source[])
              .filter((s) => s !== "keep" || certificate)
              .map((s) => (
                <label key={s} className="check">
                  <input
                    type="radio"
                    name="certificate-source"
                    value={s}
                    checked={source === s}
                    onChange={() => {
                      setSource(s);
                      upload(s);
                    }}
                  />{" "}
                  {SOURCE_LABELS[s]}
                </label>
              ))}
          </fieldset>
          {source === "generate" ? (
            <p className="hint">
              At Save the server generates an RSA 2048-bit key and a self-signed certificate (SHA-256, valid one year);
              the key stays on the server. Then download the .cer and upload it in Azure.
            </p>
          ) : null}
          {source === "pem" ? (
            <div className="grid">
              <Field id="certificate-file" label="Certificate (PEM)">
                {(a) => (
                  <input
                    type="file"
                    accept=".pem,.crt,.cer"
                    {...a}
                    onChange={async (e) => {
                      const text = await readFile(e.target.files?.[0], MAX_PEM_CHARS, "text");
                      if (text === null) return;
                      const next = { ...pem, certificate: text };
                      setPem(next);
                      upload("pem", { pem: next });
                    }}
                  />
                )}
              </Field>
              <Field id="private-key-file" label="Private key (PEM)">
                {(a) => (
                  <input
                    type="file"
                    accept=".pem,.key"
                    {...a}
                    onChange={async (e) => {
                      const text = await readFile(e.target.files?.[0], MAX_PEM_CHARS, "text");
                      if (text === null) return;
                      const next = { ...pem, privateKey: text };
                      setPem(next);
                      upload("pem", { pem: next });
                    }}
                  />
                )}
              </Field>
              <Field id="private-key-password" label="Key password (if encrypted)">
                {(a) => (
                  <input
                    type="password"
                    autoComplete="off"
                    {...a}
                    value={pem.password}
                    onChange={(e) => {
                      const next = { ...pem, password: e.target.value };
                      setPem(next);
                      upload("pem", { pem: next });
                    }}
                  />
                )}
              </Field>
            </div>
          ) : null}
          {source === "pfx" ? (
            <div className="grid">
              <Field id="pfx-file" label="PFX file">
                {(a) => (
                  <input
                    type="file"
                    accept=".pfx,.p12"
                    {...a}
                    onChange={async (e) => {
                      const data = await readFile(e.target.files?.[0], (MAX_PFX_BASE64_CHARS * 3) / 4, "base64");
                      if (data === null) return;
                      const next = { ...pfx, pfxBase64: data };
                      setPfx(next);
                      upload("pfx", { pfx: next });
                    }}
                  />
                )}
              </Field>
              <Field id="pfx-password" label="PFX password">
                {(a) => (
                  <input
                    type="password"
                    autoComplete="off"
                    {...a}
                    value={pfx.password}
                    onChange={(e) => {
                      const next = { ...pfx, password: e.target.value };
                      setPfx(next);
                      upload("pfx", { pfx: next });
                    }}
                  />
                )}
              </Field>
            </div>
          ) : null}
          {certificateError ? (
            <p className="error" id="msCertificate-error" role="alert">
              {certificateError}
            </p>
          ) : null}
          {certificate ? (
            <label className="check check-below">
              <input type="checkbox" {...register("msCertificateClear")} /> Remove the stored certificate
            </label>
          ) : null}
        </div>
      )}
    </>
  );
}
