import {
  appObjectIds,
  canonicalAppPermission,
  exchangeServicePrincipals,
  findExchangeServicePrincipal,
  grantedAppRoles,
  grantedGraphAppRoles,
  GRAPH_APP_PERMISSIONS,
} from "./app-only";
import type { SandboxContext } from "./context";
import { ControlError } from "./control-faults";
import { appOf, type Json, text } from "./control-input";
import type { AppRecord } from "./store";

/**
 * Control routes for app-only access: the app's application permissions and their admin consent
 * (Entra), Exchange Online's service principals (`New-ServicePrincipal`, `Remove-ServicePrincipal`)
 * and mailbox grants to them (`Add-MailboxPermission` / `Remove-MailboxPermission -User <service principal>`).
 */

/** What the portal shows of an app for app-only access. */
export function appOnlyInfo(app: AppRecord): Json {
  const ids = appObjectIds(app);
  return {
    clientId: app.clientId,
    tenantId: app.tenantId,
    displayName: app.displayName,
    applicationObjectId: ids.applicationObjectId,
    servicePrincipalObjectId: ids.servicePrincipalObjectId,
    appPermissions: app.appPermissions ?? [],
    consentedAppPermissions: app.consentedAppPermissions ?? [],
    roles: grantedAppRoles(app),
    graphAppPermissions: app.graphAppPermissions ?? [],
    graphRoles: grantedGraphAppRoles(app),
  };
}

/** Answers an app-only route; undefined when the route is not one of these. */
export function appOnlyRoute(ctx: SandboxContext, route: string, segs: string[], body: Json): unknown {
  const store = ctx.store;
  const [, b] = segs;
  switch (route) {
    case "GET apps/:b/app-only":
      return appOnlyInfo(appOf(ctx, b));
    case "PUT apps/:b/app-permissions": {
      // API permissions → Add a permission → Office 365 Exchange Online → Application permissions.
      const app = appOf(ctx, b);
      const list = body.permissions;
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string"))
        throw new ControlError(400, "'permissions' must be an array of strings");
      const canonical = (list as string[]).map((p) => {
        const c = canonicalAppPermission(p);
        if (!c) throw new ControlError(400, `unknown application permission of Office 365 Exchange Online: ${p}`);
        return c;
      });
      app.appPermissions = [...new Set(canonical)];
      // Entra keeps a grant only for permissions still configured.
      app.consentedAppPermissions = (app.consentedAppPermissions ?? []).filter((p) => app.appPermissions?.includes(p));
      store.save();
      return appOnlyInfo(app);
    }
    case "PUT apps/:b/app-consent": {
      // "Grant admin consent for <tenant>" (granted: true) or "Revoke admin consent" (false).
      const app = appOf(ctx, b);
      if (typeof body.granted !== "boolean") throw new ControlError(400, "'granted' must be a boolean");
      app.consentedAppPermissions = body.granted ? [...(app.appPermissions ?? [])] : [];
      store.save();
      return appOnlyInfo(app);
    }
    case "PUT apps/:b/graph-app-permissions": {
      // API permissions → Microsoft Graph → Application permissions (Mail.Send), with or without admin consent.
      const app = appOf(ctx, b);
      const list = body.permissions;
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string"))
        throw new ControlError(400, "'permissions' must be an array of strings");
      const canonical = (list as string[]).map((p) => {
        const c = GRAPH_APP_PERMISSIONS.find((x) => x.toLowerCase() === p.toLowerCase());
        if (!c) throw new ControlError(400, `unknown application permission of Microsoft Graph: ${p}`);
        return c;
      });
      if (body.granted !== undefined && typeof body.granted !== "boolean")
        throw new ControlError(400, "'granted' must be a boolean");
      app.graphAppPermissions = [...new Set(canonical)];
      app.consentedGraphAppPermissions = body.granted === false ? [] : [...app.graphAppPermissions];
      store.save();
      return appOnlyInfo(app);
    }
    case "GET service-principals":
      return exchangeServicePrincipals(ctx);
    case "POST service-principals": {
      // New-ServicePrincipal -AppId <client id> -ObjectId <object id> [-DisplayName]. Exchange does not
      // check the object id against Entra: the app registration's object id is accepted, and then no
      // token matches it (the token's oid is the Enterprise application's).
      const appId = text(body, "appId");
      const objectId = text(body, "objectId");
      const tenant =
        body.tenantId === undefined ? store.data.tenants[0] : store.tenantByIdOrDomain(text(body, "tenantId"));
      if (!tenant) throw new ControlError(404, "tenant not found");
      const list = exchangeServicePrincipals(ctx);
      if (list.some((sp) => sp.tenantId === tenant.id && sp.objectId.toLowerCase() === objectId.toLowerCase()))
        throw new ControlError(409, `a service principal with object id ${objectId} already exists`);
      const record = {
        tenantId: tenant.id,
        appId,
        objectId,
        displayName: typeof body.displayName === "string" && body.displayName ? body.displayName : appId,
      };
      list.push(record);
      store.save();
      return record;
    }
    case "DELETE service-principals/:b": {
      const sp = findExchangeServicePrincipal(ctx, b ?? "");
      if (!sp) throw new ControlError(404, `service principal not found: ${b ?? ""}`);
      store.data.exchangeServicePrincipals = exchangeServicePrincipals(ctx).filter((x) => x !== sp);
      for (const m of store.data.mailboxes)
        m.appFullAccess = (m.appFullAccess ?? []).filter((id) => id !== sp.objectId);
      store.save();
      return { ok: true };
    }
    case "POST mailboxes/:b/app-permissions": {
      // Add-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess (fullAccess: true),
      // Remove-MailboxPermission … (false). -User must name a service principal registered in Exchange.
      const mailbox = store.mailbox(b ?? "");
      if (!mailbox) throw new ControlError(404, `mailbox not found: ${b ?? ""}`);
      const identity = text(body, "servicePrincipal");
      const sp = findExchangeServicePrincipal(ctx, identity);
      if (!sp)
        throw new ControlError(
          404,
          `The operation couldn't be performed because object '${identity}' couldn't be found on the service principals of this organization.`,
        );
      if (typeof body.fullAccess !== "boolean") throw new ControlError(400, "'fullAccess' must be a boolean");
      const current = mailbox.appFullAccess ?? [];
      mailbox.appFullAccess = body.fullAccess
        ? [...new Set([...current, sp.objectId])]
        : current.filter((id) => id !== sp.objectId);
      store.save();
      return { email: mailbox.address, appFullAccess: mailbox.appFullAccess };
    }
    default:
      return undefined;
  }
}
