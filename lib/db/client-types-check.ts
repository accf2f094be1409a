/**
 * Compile-time proof that the two generated clients have the same model API for this app's purposes
 * (`npx tsc --noEmit` fails otherwise): for every model, what the code passes in SQLite terms (create,
 * update, where, unique where, order by, select — each kind separately) is accepted by the PostgreSQL
 * client, and the rows both return are identical. `db` in client.ts is typed as the SQLite client and
 * backed by the PostgreSQL one when DATABASE_URL says so. (TypeScript cannot compare the two client
 * classes directly: their generic methods refer to each client's own namespace types. PostgreSQL's
 * inputs are a superset — e.g. `mode: "insensitive"` — which SQLite-typed code simply never uses.)
 */
import type * as S from "@/lib/db/generated/sqlite/models";
import type * as P from "@/lib/db/generated/postgres/models";

type Both<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Into<A, B> = [A] extends [B] ? true : false;
type Row = {
  User: Both<S.UserModel, P.UserModel>;
  Session: Both<S.SessionModel, P.SessionModel>;
  Account: Both<S.AccountModel, P.AccountModel>;
  Verification: Both<S.VerificationModel, P.VerificationModel>;
  RateLimit: Both<S.RateLimitModel, P.RateLimitModel>;
  SetupCode: Both<S.SetupCodeModel, P.SetupCodeModel>;
  GeneralSettings: Both<S.GeneralSettingsModel, P.GeneralSettingsModel>;
  EmailSettings: Both<S.EmailSettingsModel, P.EmailSettingsModel>;
  OAuthConnection: Both<S.OAuthConnectionModel, P.OAuthConnectionModel>;
  AppOnlyConnection: Both<S.AppOnlyConnectionModel, P.AppOnlyConnectionModel>;
  OAuthState: Both<S.OAuthStateModel, P.OAuthStateModel>;
  EmailTestRun: Both<S.EmailTestRunModel, P.EmailTestRunModel>;
  AuditEvent: Both<S.AuditEventModel, P.AuditEventModel>;
  Lease: Both<S.LeaseModel, P.LeaseModel>;
  PasswordConfirmation: Both<S.PasswordConfirmationModel, P.PasswordConfirmationModel>;
  TestEmailStart: Both<S.TestEmailStartModel, P.TestEmailStartModel>;
  AdminInvitation: Both<S.AdminInvitationModel, P.AdminInvitationModel>;
  RelaySettings: Both<S.RelaySettingsModel, P.RelaySettingsModel>;
  RelayCredential: Both<S.RelayCredentialModel, P.RelayCredentialModel>;
  RelayCounter: Both<S.RelayCounterModel, P.RelayCounterModel>;
  RelayActivity: Both<S.RelayActivityModel, P.RelayActivityModel>;
  RelayImapLogin: Both<S.RelayImapLoginModel, P.RelayImapLoginModel>;
  AppSecret: Both<S.AppSecretModel, P.AppSecretModel>;
  TwoFactor: Both<S.TwoFactorModel, P.TwoFactorModel>;
  SignInBackoff: Both<S.SignInBackoffModel, P.SignInBackoffModel>;
  MonitorSettings: Both<S.MonitorSettingsModel, P.MonitorSettingsModel>;
  MailboxHealth: Both<S.MailboxHealthModel, P.MailboxHealthModel>;
  HealthCheck: Both<S.HealthCheckModel, P.HealthCheckModel>;
  AlertEvent: Both<S.AlertEventModel, P.AlertEventModel>;
  AlertDelivery: Both<S.AlertDeliveryModel, P.AlertDeliveryModel>;
};
type AllOf<T extends boolean[]> = T[number] extends true ? true : false;
type Inputs = {
  User: AllOf<
    [
      Into<S.UserUncheckedCreateInput, P.UserUncheckedCreateInput>,
      Into<S.UserCreateInput, P.UserCreateInput>,
      Into<S.UserUncheckedUpdateInput, P.UserUncheckedUpdateInput>,
      Into<S.UserUpdateInput, P.UserUpdateInput>,
      Into<S.UserWhereInput, P.UserWhereInput>,
      Into<S.UserWhereUniqueInput, P.UserWhereUniqueInput>,
      Into<S.UserOrderByWithRelationInput, P.UserOrderByWithRelationInput>,
      Into<S.UserSelect, P.UserSelect>,
    ]
  >;
  Session: AllOf<
    [
      Into<S.SessionUncheckedCreateInput, P.SessionUncheckedCreateInput>,
      Into<S.SessionCreateInput, P.SessionCreateInput>,
      Into<S.SessionUncheckedUpdateInput, P.SessionUncheckedUpdateInput>,
      Into<S.SessionUpdateInput, P.SessionUpdateInput>,
      Into<S.SessionWhereInput, P.SessionWhereInput>,
      Into<S.SessionWhereUniqueInput, P.SessionWhereUniqueInput>,
      Into<S.SessionOrderByWithRelationInput, P.SessionOrderByWithRelationInput>,
      Into<S.SessionSelect, P.SessionSelect>,
    ]
  >;
  Account: AllOf<
    [
      Into<S.AccountUncheckedCreateInput, P.AccountUncheckedCreateInput>,
      Into<S.AccountCreateInput, P.AccountCreateInput>,
      Into<S.AccountUncheckedUpdateInput, P.AccountUncheckedUpdateInput>,
      Into<S.AccountUpdateInput, P.AccountUpdateInput>,
      Into<S.AccountWhereInput, P.AccountWhereInput>,
      Into<S.AccountWhereUniqueInput, P.AccountWhereUniqueInput>,
      Into<S.AccountOrderByWithRelationInput, P.AccountOrderByWithRelationInput>,
      Into<S.AccountSelect, P.AccountSelect>,
    ]
  >;
  Verification: AllOf<
    [
      Into<S.VerificationUncheckedCreateInput, P.VerificationUncheckedCreateInput>,
      Into<S.VerificationCreateInput, P.VerificationCreateInput>,
      Into<S.VerificationUncheckedUpdateInput, P.VerificationUncheckedUpdateInput>,
      Into<S.VerificationUpdateInput, P.VerificationUpdateInput>,
      Into<S.VerificationWhereInput, P.VerificationWhereInput>,
      Into<S.VerificationWhereUniqueInput, P.VerificationWhereUniqueInput>,
      Into<S.VerificationOrderByWithRelationInput, P.VerificationOrderByWithRelationInput>,
      Into<S.VerificationSelect, P.VerificationSelect>,
    ]
  >;
  RateLimit: AllOf<
    [
      Into<S.RateLimitUncheckedCreateInput, P.RateLimitUncheckedCreateInput>,
      Into<S.RateLimitCreateInput, P.RateLimitCreateInput>,
      Into<S.RateLimitUncheckedUpdateInput, P.RateLimitUncheckedUpdateInput>,
      Into<S.RateLimitUpdateInput, P.RateLimitUpdateInput>,
      Into<S.RateLimitWhereInput, P.RateLimitWhereInput>,
      Into<S.RateLimitWhereUniqueInput, P.RateLimitWhereUniqueInput>,
      Into<S.RateLimitOrderByWithRelationInput, P.RateLimitOrderByWithRelationInput>,
      Into<S.RateLimitSelect, P.RateLimitSelect>,
    ]
  >;
  SetupCode: AllOf<
    [
      Into<S.SetupCodeUncheckedCreateInput, P.SetupCodeUncheckedCreateInput>,
      Into<S.SetupCodeCreateInput, P.SetupCodeCreateInput>,
      Into<S.SetupCodeUncheckedUpdateInput, P.SetupCodeUncheckedUpdateInput>,
      Into<S.SetupCodeUpdateInput, P.SetupCodeUpdateInput>,
      Into<S.SetupCodeWhereInput, P.SetupCodeWhereInput>,
      Into<S.SetupCodeWhereUniqueInput, P.SetupCodeWhereUniqueInput>,
      Into<S.SetupCodeOrderByWithRelationInput, P.SetupCodeOrderByWithRelationInput>,
      Into<S.SetupCodeSelect, P.SetupCodeSelect>,
    ]
  >;
  GeneralSettings: AllOf<
    [
      Into<S.GeneralSettingsUncheckedCreateInput, P.GeneralSettingsUncheckedCreateInput>,
      Into<S.GeneralSettingsCreateInput, P.GeneralSettingsCreateInput>,
      Into<S.GeneralSettingsUncheckedUpdateInput, P.GeneralSettingsUncheckedUpdateInput>,
      Into<S.GeneralSettingsUpdateInput, P.GeneralSettingsUpdateInput>,
      Into<S.GeneralSettingsWhereInput, P.GeneralSettingsWhereInput>,
      Into<S.GeneralSettingsWhereUniqueInput, P.GeneralSettingsWhereUniqueInput>,
      Into<S.GeneralSettingsOrderByWithRelationInput, P.GeneralSettingsOrderByWithRelationInput>,
      Into<S.GeneralSettingsSelect, P.GeneralSettingsSelect>,
    ]
  >;
  EmailSettings: AllOf<
    [
      Into<S.EmailSettingsUncheckedCreateInput, P.EmailSettingsUncheckedCreateInput>,
      Into<S.EmailSettingsCreateInput, P.EmailSettingsCreateInput>,
      Into<S.EmailSettingsUncheckedUpdateInput, P.EmailSettingsUncheckedUpdateInput>,
      Into<S.EmailSettingsUpdateInput, P.EmailSettingsUpdateInput>,
      Into<S.EmailSettingsWhereInput, P.EmailSettingsWhereInput>,
      Into<S.EmailSettingsWhereUniqueInput, P.EmailSettingsWhereUniqueInput>,
      Into<S.EmailSettingsOrderByWithRelationInput, P.EmailSettingsOrderByWithRelationInput>,
      Into<S.EmailSettingsSelect, P.EmailSettingsSelect>,
    ]
  >;
  OAuthConnection: AllOf<
    [
      Into<S.OAuthConnectionUncheckedCreateInput, P.OAuthConnectionUncheckedCreateInput>,
      Into<S.OAuthConnectionCreateInput, P.OAuthConnectionCreateInput>,
      Into<S.OAuthConnectionUncheckedUpdateInput, P.OAuthConnectionUncheckedUpdateInput>,
      Into<S.OAuthConnectionUpdateInput, P.OAuthConnectionUpdateInput>,
      Into<S.OAuthConnectionWhereInput, P.OAuthConnectionWhereInput>,
      Into<S.OAuthConnectionWhereUniqueInput, P.OAuthConnectionWhereUniqueInput>,
      Into<S.OAuthConnectionOrderByWithRelationInput, P.OAuthConnectionOrderByWithRelationInput>,
      Into<S.OAuthConnectionSelect, P.OAuthConnectionSelect>,
    ]
  >;
  AppOnlyConnection: AllOf<
    [
      Into<S.AppOnlyConnectionUncheckedCreateInput, P.AppOnlyConnectionUncheckedCreateInput>,
      Into<S.AppOnlyConnectionCreateInput, P.AppOnlyConnectionCreateInput>,
      Into<S.AppOnlyConnectionUncheckedUpdateInput, P.AppOnlyConnectionUncheckedUpdateInput>,
      Into<S.AppOnlyConnectionUpdateInput, P.AppOnlyConnectionUpdateInput>,
      Into<S.AppOnlyConnectionWhereInput, P.AppOnlyConnectionWhereInput>,
      Into<S.AppOnlyConnectionWhereUniqueInput, P.AppOnlyConnectionWhereUniqueInput>,
      Into<S.AppOnlyConnectionOrderByWithRelationInput, P.AppOnlyConnectionOrderByWithRelationInput>,
      Into<S.AppOnlyConnectionSelect, P.AppOnlyConnectionSelect>,
    ]
  >;
  OAuthState: AllOf<
    [
      Into<S.OAuthStateUncheckedCreateInput, P.OAuthStateUncheckedCreateInput>,
      Into<S.OAuthStateCreateInput, P.OAuthStateCreateInput>,
      Into<S.OAuthStateUncheckedUpdateInput, P.OAuthStateUncheckedUpdateInput>,
      Into<S.OAuthStateUpdateInput, P.OAuthStateUpdateInput>,
      Into<S.OAuthStateWhereInput, P.OAuthStateWhereInput>,
      Into<S.OAuthStateWhereUniqueInput, P.OAuthStateWhereUniqueInput>,
      Into<S.OAuthStateOrderByWithRelationInput, P.OAuthStateOrderByWithRelationInput>,
      Into<S.OAuthStateSelect, P.OAuthStateSelect>,
    ]
  >;
  EmailTestRun: AllOf<
    [
      Into<S.EmailTestRunUncheckedCreateInput, P.EmailTestRunUncheckedCreateInput>,
      Into<S.EmailTestRunCreateInput, P.EmailTestRunCreateInput>,
      Into<S.EmailTestRunUncheckedUpdateInput, P.EmailTestRunUncheckedUpdateInput>,
      Into<S.EmailTestRunUpdateInput, P.EmailTestRunUpdateInput>,
      Into<S.EmailTestRunWhereInput, P.EmailTestRunWhereInput>,
      Into<S.EmailTestRunWhereUniqueInput, P.EmailTestRunWhereUniqueInput>,
      Into<S.EmailTestRunOrderByWithRelationInput, P.EmailTestRunOrderByWithRelationInput>,
      Into<S.EmailTestRunSelect, P.EmailTestRunSelect>,
    ]
  >;
  AuditEvent: AllOf<
    [
      Into<S.AuditEventUncheckedCreateInput, P.AuditEventUncheckedCreateInput>,
      Into<S.AuditEventCreateInput, P.AuditEventCreateInput>,
      Into<S.AuditEventUncheckedUpdateInput, P.AuditEventUncheckedUpdateInput>,
      Into<S.AuditEventUpdateInput, P.AuditEventUpdateInput>,
      Into<S.AuditEventWhereInput, P.AuditEventWhereInput>,
      Into<S.AuditEventWhereUniqueInput, P.AuditEventWhereUniqueInput>,
      Into<S.AuditEventOrderByWithRelationInput, P.AuditEventOrderByWithRelationInput>,
      Into<S.AuditEventSelect, P.AuditEventSelect>,
    ]
  >;
  Lease: AllOf<
    [
      Into<S.LeaseUncheckedCreateInput, P.LeaseUncheckedCreateInput>,
      Into<S.LeaseCreateInput, P.LeaseCreateInput>,
      Into<S.LeaseUncheckedUpdateInput, P.LeaseUncheckedUpdateInput>,
      Into<S.LeaseUpdateInput, P.LeaseUpdateInput>,
      Into<S.LeaseWhereInput, P.LeaseWhereInput>,
      Into<S.LeaseWhereUniqueInput, P.LeaseWhereUniqueInput>,
      Into<S.LeaseOrderByWithRelationInput, P.LeaseOrderByWithRelationInput>,
      Into<S.LeaseSelect, P.LeaseSelect>,
    ]
  >;
  PasswordConfirmation: AllOf<
    [
      Into<S.PasswordConfirmationUncheckedCreateInput, P.PasswordConfirmationUncheckedCreateInput>,
      Into<S.PasswordConfirmationCreateInput, P.PasswordConfirmationCreateInput>,
      Into<S.PasswordConfirmationUncheckedUpdateInput, P.PasswordConfirmationUncheckedUpdateInput>,
      Into<S.PasswordConfirmationUpdateInput, P.PasswordConfirmationUpdateInput>,
      Into<S.PasswordConfirmationWhereInput, P.PasswordConfirmationWhereInput>,
      Into<S.PasswordConfirmationWhereUniqueInput, P.PasswordConfirmationWhereUniqueInput>,
      Into<S.PasswordConfirmationOrderByWithRelationInput, P.PasswordConfirmationOrderByWithRelationInput>,
      Into<S.PasswordConfirmationSelect, P.PasswordConfirmationSelect>,
    ]
  >;
  TestEmailStart: AllOf<
    [
      Into<S.TestEmailStartUncheckedCreateInput, P.TestEmailStartUncheckedCreateInput>,
      Into<S.TestEmailStartCreateInput, P.TestEmailStartCreateInput>,
      Into<S.TestEmailStartUncheckedUpdateInput, P.TestEmailStartUncheckedUpdateInput>,
      Into<S.TestEmailStartUpdateInput, P.TestEmailStartUpdateInput>,
      Into<S.TestEmailStartWhereInput, P.TestEmailStartWhereInput>,
      Into<S.TestEmailStartWhereUniqueInput, P.TestEmailStartWhereUniqueInput>,
      Into<S.TestEmailStartOrderByWithRelationInput, P.TestEmailStartOrderByWithRelationInput>,
      Into<S.TestEmailStartSelect, P.TestEmailStartSelect>,
    ]
  >;
  AdminInvitation: AllOf<
    [
      Into<S.AdminInvitationUncheckedCreateInput, P.AdminInvitationUncheckedCreateInput>,
      Into<S.AdminInvitationCreateInput, P.AdminInvitationCreateInput>,
      Into<S.AdminInvitationUncheckedUpdateInput, P.AdminInvitationUncheckedUpdateInput>,
      Into<S.AdminInvitationUpdateInput, P.AdminInvitationUpdateInput>,
      Into<S.AdminInvitationWhereInput, P.AdminInvitationWhereInput>,
      Into<S.AdminInvitationWhereUniqueInput, P.AdminInvitationWhereUniqueInput>,
      Into<S.AdminInvitationOrderByWithRelationInput, P.AdminInvitationOrderByWithRelationInput>,
      Into<S.AdminInvitationSelect, P.AdminInvitationSelect>,
    ]
  >;
  RelaySettings: AllOf<
    [
      Into<S.RelaySettingsUncheckedCreateInput, P.RelaySettingsUncheckedCreateInput>,
      Into<S.RelaySettingsCreateInput, P.RelaySettingsCreateInput>,
      Into<S.RelaySettingsUncheckedUpdateInput, P.RelaySettingsUncheckedUpdateInput>,
      Into<S.RelaySettingsUpdateInput, P.RelaySettingsUpdateInput>,
      Into<S.RelaySettingsWhereInput, P.RelaySettingsWhereInput>,
      Into<S.RelaySettingsWhereUniqueInput, P.RelaySettingsWhereUniqueInput>,
      Into<S.RelaySettingsOrderByWithRelationInput, P.RelaySettingsOrderByWithRelationInput>,
      Into<S.RelaySettingsSelect, P.RelaySettingsSelect>,
    ]
  >;
  RelayCredential: AllOf<
    [
      Into<S.RelayCredentialUncheckedCreateInput, P.RelayCredentialUncheckedCreateInput>,
      Into<S.RelayCredentialCreateInput, P.RelayCredentialCreateInput>,
      Into<S.RelayCredentialUncheckedUpdateInput, P.RelayCredentialUncheckedUpdateInput>,
      Into<S.RelayCredentialUpdateInput, P.RelayCredentialUpdateInput>,
      Into<S.RelayCredentialWhereInput, P.RelayCredentialWhereInput>,
      Into<S.RelayCredentialWhereUniqueInput, P.RelayCredentialWhereUniqueInput>,
      Into<S.RelayCredentialOrderByWithRelationInput, P.RelayCredentialOrderByWithRelationInput>,
      Into<S.RelayCredentialSelect, P.RelayCredentialSelect>,
    ]
  >;
  RelayCounter: AllOf<
    [
      Into<S.RelayCounterUncheckedCreateInput, P.RelayCounterUncheckedCreateInput>,
      Into<S.RelayCounterCreateInput, P.RelayCounterCreateInput>,
      Into<S.RelayCounterUncheckedUpdateInput, P.RelayCounterUncheckedUpdateInput>,
      Into<S.RelayCounterUpdateInput, P.RelayCounterUpdateInput>,
      Into<S.RelayCounterWhereInput, P.RelayCounterWhereInput>,
      Into<S.RelayCounterWhereUniqueInput, P.RelayCounterWhereUniqueInput>,
      Into<S.RelayCounterOrderByWithRelationInput, P.RelayCounterOrderByWithRelationInput>,
      Into<S.RelayCounterSelect, P.RelayCounterSelect>,
    ]
  >;
  RelayActivity: AllOf<
    [
      Into<S.RelayActivityUncheckedCreateInput, P.RelayActivityUncheckedCreateInput>,
      Into<S.RelayActivityCreateInput, P.RelayActivityCreateInput>,
      Into<S.RelayActivityUncheckedUpdateInput, P.RelayActivityUncheckedUpdateInput>,
      Into<S.RelayActivityUpdateInput, P.RelayActivityUpdateInput>,
      Into<S.RelayActivityWhereInput, P.RelayActivityWhereInput>,
      Into<S.RelayActivityWhereUniqueInput, P.RelayActivityWhereUniqueInput>,
      Into<S.RelayActivityOrderByWithRelationInput, P.RelayActivityOrderByWithRelationInput>,
      Into<S.RelayActivitySelect, P.RelayActivitySelect>,
    ]
  >;
  RelayImapLogin: AllOf<
    [
      Into<S.RelayImapLoginUncheckedCreateInput, P.RelayImapLoginUncheckedCreateInput>,
      Into<S.RelayImapLoginCreateInput, P.RelayImapLoginCreateInput>,
      Into<S.RelayImapLoginUncheckedUpdateInput, P.RelayImapLoginUncheckedUpdateInput>,
      Into<S.RelayImapLoginUpdateInput, P.RelayImapLoginUpdateInput>,
      Into<S.RelayImapLoginWhereInput, P.RelayImapLoginWhereInput>,
      Into<S.RelayImapLoginWhereUniqueInput, P.RelayImapLoginWhereUniqueInput>,
      Into<S.RelayImapLoginOrderByWithRelationInput, P.RelayImapLoginOrderByWithRelationInput>,
      Into<S.RelayImapLoginSelect, P.RelayImapLoginSelect>,
    ]
  >;
  AppSecret: AllOf<
    [
      Into<S.AppSecretUncheckedCreateInput, P.AppSecretUncheckedCreateInput>,
      Into<S.AppSecretCreateInput, P.AppSecretCreateInput>,
      Into<S.AppSecretUncheckedUpdateInput, P.AppSecretUncheckedUpdateInput>,
      Into<S.AppSecretUpdateInput, P.AppSecretUpdateInput>,
      Into<S.AppSecretWhereInput, P.AppSecretWhereInput>,
      Into<S.AppSecretWhereUniqueInput, P.AppSecretWhereUniqueInput>,
      Into<S.AppSecretOrderByWithRelationInput, P.AppSecretOrderByWithRelationInput>,
      Into<S.AppSecretSelect, P.AppSecretSelect>,
    ]
  >;
  TwoFactor: AllOf<
    [
      Into<S.TwoFactorUncheckedCreateInput, P.TwoFactorUncheckedCreateInput>,
      Into<S.TwoFactorCreateInput, P.TwoFactorCreateInput>,
      Into<S.TwoFactorUncheckedUpdateInput, P.TwoFactorUncheckedUpdateInput>,
      Into<S.TwoFactorUpdateInput, P.TwoFactorUpdateInput>,
      Into<S.TwoFactorWhereInput, P.TwoFactorWhereInput>,
      Into<S.TwoFactorWhereUniqueInput, P.TwoFactorWhereUniqueInput>,
      Into<S.TwoFactorOrderByWithRelationInput, P.TwoFactorOrderByWithRelationInput>,
      Into<S.TwoFactorSelect, P.TwoFactorSelect>,
    ]
  >;
  SignInBackoff: AllOf<
    [
      Into<S.SignInBackoffUncheckedCreateInput, P.SignInBackoffUncheckedCreateInput>,
      Into<S.SignInBackoffCreateInput, P.SignInBackoffCreateInput>,
      Into<S.SignInBackoffUncheckedUpdateInput, P.SignInBackoffUncheckedUpdateInput>,
      Into<S.SignInBackoffUpdateInput, P.SignInBackoffUpdateInput>,
      Into<S.SignInBackoffWhereInput, P.SignInBackoffWhereInput>,
      Into<S.SignInBackoffWhereUniqueInput, P.SignInBackoffWhereUniqueInput>,
      Into<S.SignInBackoffOrderByWithRelationInput, P.SignInBackoffOrderByWithRelationInput>,
      Into<S.SignInBackoffSelect, P.SignInBackoffSelect>,
    ]
  >;
  MonitorSettings: AllOf<
    [
      Into<S.MonitorSettingsUncheckedCreateInput, P.MonitorSettingsUncheckedCreateInput>,
      Into<S.MonitorSettingsCreateInput, P.MonitorSettingsCreateInput>,
      Into<S.MonitorSettingsUncheckedUpdateInput, P.MonitorSettingsUncheckedUpdateInput>,
      Into<S.MonitorSettingsUpdateInput, P.MonitorSettingsUpdateInput>,
      Into<S.MonitorSettingsWhereInput, P.MonitorSettingsWhereInput>,
      Into<S.MonitorSettingsWhereUniqueInput, P.MonitorSettingsWhereUniqueInput>,
      Into<S.MonitorSettingsOrderByWithRelationInput, P.MonitorSettingsOrderByWithRelationInput>,
      Into<S.MonitorSettingsSelect, P.MonitorSettingsSelect>,
    ]
  >;
  MailboxHealth: AllOf<
    [
      Into<S.MailboxHealthUncheckedCreateInput, P.MailboxHealthUncheckedCreateInput>,
      Into<S.MailboxHealthCreateInput, P.MailboxHealthCreateInput>,
      Into<S.MailboxHealthUncheckedUpdateInput, P.MailboxHealthUncheckedUpdateInput>,
      Into<S.MailboxHealthUpdateInput, P.MailboxHealthUpdateInput>,
      Into<S.MailboxHealthWhereInput, P.MailboxHealthWhereInput>,
      Into<S.MailboxHealthWhereUniqueInput, P.MailboxHealthWhereUniqueInput>,
      Into<S.MailboxHealthOrderByWithRelationInput, P.MailboxHealthOrderByWithRelationInput>,
      Into<S.MailboxHealthSelect, P.MailboxHealthSelect>,
    ]
  >;
  HealthCheck: AllOf<
    [
      Into<S.HealthCheckUncheckedCreateInput, P.HealthCheckUncheckedCreateInput>,
      Into<S.HealthCheckCreateInput, P.HealthCheckCreateInput>,
      Into<S.HealthCheckUncheckedUpdateInput, P.HealthCheckUncheckedUpdateInput>,
      Into<S.HealthCheckUpdateInput, P.HealthCheckUpdateInput>,
      Into<S.HealthCheckWhereInput, P.HealthCheckWhereInput>,
      Into<S.HealthCheckWhereUniqueInput, P.HealthCheckWhereUniqueInput>,
      Into<S.HealthCheckOrderByWithRelationInput, P.HealthCheckOrderByWithRelationInput>,
      Into<S.HealthCheckSelect, P.HealthCheckSelect>,
    ]
  >;
  AlertEvent: AllOf<
    [
      Into<S.AlertEventUncheckedCreateInput, P.AlertEventUncheckedCreateInput>,
      Into<S.AlertEventCreateInput, P.AlertEventCreateInput>,
      Into<S.AlertEventUncheckedUpdateInput, P.AlertEventUncheckedUpdateInput>,
      Into<S.AlertEventUpdateInput, P.AlertEventUpdateInput>,
      Into<S.AlertEventWhereInput, P.AlertEventWhereInput>,
      Into<S.AlertEventWhereUniqueInput, P.AlertEventWhereUniqueInput>,
      Into<S.AlertEventOrderByWithRelationInput, P.AlertEventOrderByWithRelationInput>,
      Into<S.AlertEventSelect, P.AlertEventSelect>,
    ]
  >;
  AlertDelivery: AllOf<
    [
      Into<S.AlertDeliveryUncheckedCreateInput, P.AlertDeliveryUncheckedCreateInput>,
      Into<S.AlertDeliveryCreateInput, P.AlertDeliveryCreateInput>,
      Into<S.AlertDeliveryUncheckedUpdateInput, P.AlertDeliveryUncheckedUpdateInput>,
      Into<S.AlertDeliveryUpdateInput, P.AlertDeliveryUpdateInput>,
      Into<S.AlertDeliveryWhereInput, P.AlertDeliveryWhereInput>,
      Into<S.AlertDeliveryWhereUniqueInput, P.AlertDeliveryWhereUniqueInput>,
      Into<S.AlertDeliveryOrderByWithRelationInput, P.AlertDeliveryOrderByWithRelationInput>,
      Into<S.AlertDeliverySelect, P.AlertDeliverySelect>,
    ]
  >;
};
type AllTrue<T> = { [K in keyof T]: T[K] extends true ? true : false }[keyof T] extends true ? true : false;
export const sameRows: AllTrue<Row> = true;
export const sqliteInputsFitPostgres: AllTrue<Inputs> = true;
