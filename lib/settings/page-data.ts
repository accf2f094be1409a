import "server-only";
import { cache } from "react";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { generalSettingsForRequest } from "@/lib/settings/general-repository";

/** The settings rows as pages read them: once per request, however many components need them. */
export const emailSettingsForPage = cache(getEmailSettings);
export const generalSettingsForPage = generalSettingsForRequest;
