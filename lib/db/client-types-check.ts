/**
 * Compile-time proof that the two generated clients have the same model API for this app's purposes
 * (`npx tsc --noEmit` fails otherwise): for every model, what the code passes in SQLite terms (create /
 * update / where / unique where) is accepted by the PostgreSQL client, and what the PostgreSQL client
 * returns (rows, aggregates' scalar shapes) is what the SQLite-typed code expects. `db` in client.ts is
 * typed as the SQLite client and backed by the PostgreSQL one when DATABASE_URL says so. (The client
 * classes themselves are not assignable to each other only because of branded generic helper types.)
 */
import type * as S from "@/lib/db/generated/sqlite/models";
import type * as P from "@/lib/db/generated/postgres/models";

type Both<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Into<A, B> = [A] extends [B] ? true : false;
type Row = {
  User: Both<S.UserModel, P.UserModel>; Session: Both<S.SessionModel, P.SessionModel>; Account: Both<S.AccountModel, P.AccountModel>;
  Verification: Both<S.VerificationModel, P.VerificationModel>; RateLimit: Both<S.RateLimitModel, P.RateLimitModel>;
  SetupCode: Both<S.SetupCodeModel, P.SetupCodeModel>; GeneralSettings: Both<S.GeneralSettingsModel, P.GeneralSettingsModel>;
  EmailSettings: Both<S.EmailSettingsModel, P.EmailSettingsModel>; OAuthConnection: Both<S.OAuthConnectionModel, P.OAuthConnectionModel>;
  OAuthState: Both<S.OAuthStateModel, P.OAuthStateModel>; EmailTestRun: Both<S.EmailTestRunModel, P.EmailTestRunModel>;
  AuditEvent: Both<S.AuditEventModel, P.AuditEventModel>; Lease: Both<S.LeaseModel, P.LeaseModel>;
};
type Inputs = {
  User: Into<S.UserUncheckedCreateInput | S.UserUncheckedUpdateInput | S.UserWhereInput | S.UserWhereUniqueInput, P.UserUncheckedCreateInput | P.UserUncheckedUpdateInput | P.UserWhereInput | P.UserWhereUniqueInput>;
  Session: Into<S.SessionUncheckedCreateInput | S.SessionUncheckedUpdateInput | S.SessionWhereInput | S.SessionWhereUniqueInput, P.SessionUncheckedCreateInput | P.SessionUncheckedUpdateInput | P.SessionWhereInput | P.SessionWhereUniqueInput>;
  Account: Into<S.AccountUncheckedCreateInput | S.AccountUncheckedUpdateInput | S.AccountWhereInput | S.AccountWhereUniqueInput, P.AccountUncheckedCreateInput | P.AccountUncheckedUpdateInput | P.AccountWhereInput | P.AccountWhereUniqueInput>;
  Verification: Into<S.VerificationUncheckedCreateInput | S.VerificationUncheckedUpdateInput | S.VerificationWhereInput | S.VerificationWhereUniqueInput, P.VerificationUncheckedCreateInput | P.VerificationUncheckedUpdateInput | P.VerificationWhereInput | P.VerificationWhereUniqueInput>;
  RateLimit: Into<S.RateLimitUncheckedCreateInput | S.RateLimitUncheckedUpdateInput | S.RateLimitWhereInput | S.RateLimitWhereUniqueInput, P.RateLimitUncheckedCreateInput | P.RateLimitUncheckedUpdateInput | P.RateLimitWhereInput | P.RateLimitWhereUniqueInput>;
  SetupCode: Into<S.SetupCodeUncheckedCreateInput | S.SetupCodeUncheckedUpdateInput | S.SetupCodeWhereInput | S.SetupCodeWhereUniqueInput, P.SetupCodeUncheckedCreateInput | P.SetupCodeUncheckedUpdateInput | P.SetupCodeWhereInput | P.SetupCodeWhereUniqueInput>;
  GeneralSettings: Into<S.GeneralSettingsUncheckedCreateInput | S.GeneralSettingsUncheckedUpdateInput | S.GeneralSettingsWhereInput | S.GeneralSettingsWhereUniqueInput, P.GeneralSettingsUncheckedCreateInput | P.GeneralSettingsUncheckedUpdateInput | P.GeneralSettingsWhereInput | P.GeneralSettingsWhereUniqueInput>;
  EmailSettings: Into<S.EmailSettingsUncheckedCreateInput | S.EmailSettingsUncheckedUpdateInput | S.EmailSettingsWhereInput | S.EmailSettingsWhereUniqueInput, P.EmailSettingsUncheckedCreateInput | P.EmailSettingsUncheckedUpdateInput | P.EmailSettingsWhereInput | P.EmailSettingsWhereUniqueInput>;
  OAuthConnection: Into<S.OAuthConnectionUncheckedCreateInput | S.OAuthConnectionUncheckedUpdateInput | S.OAuthConnectionWhereInput | S.OAuthConnectionWhereUniqueInput, P.OAuthConnectionUncheckedCreateInput | P.OAuthConnectionUncheckedUpdateInput | P.OAuthConnectionWhereInput | P.OAuthConnectionWhereUniqueInput>;
  OAuthState: Into<S.OAuthStateUncheckedCreateInput | S.OAuthStateUncheckedUpdateInput | S.OAuthStateWhereInput | S.OAuthStateWhereUniqueInput, P.OAuthStateUncheckedCreateInput | P.OAuthStateUncheckedUpdateInput | P.OAuthStateWhereInput | P.OAuthStateWhereUniqueInput>;
  EmailTestRun: Into<S.EmailTestRunUncheckedCreateInput | S.EmailTestRunUncheckedUpdateInput | S.EmailTestRunWhereInput | S.EmailTestRunWhereUniqueInput, P.EmailTestRunUncheckedCreateInput | P.EmailTestRunUncheckedUpdateInput | P.EmailTestRunWhereInput | P.EmailTestRunWhereUniqueInput>;
  AuditEvent: Into<S.AuditEventUncheckedCreateInput | S.AuditEventUncheckedUpdateInput | S.AuditEventWhereInput | S.AuditEventWhereUniqueInput, P.AuditEventUncheckedCreateInput | P.AuditEventUncheckedUpdateInput | P.AuditEventWhereInput | P.AuditEventWhereUniqueInput>;
  Lease: Into<S.LeaseUncheckedCreateInput | S.LeaseUncheckedUpdateInput | S.LeaseWhereInput | S.LeaseWhereUniqueInput, P.LeaseUncheckedCreateInput | P.LeaseUncheckedUpdateInput | P.LeaseWhereInput | P.LeaseWhereUniqueInput>;
};
type AllTrue<T> = { [K in keyof T]: T[K] extends true ? true : false }[keyof T] extends true ? true : false;
export const sameRows: AllTrue<Row> = true;
export const sqliteInputsFitPostgres: AllTrue<Inputs> = true;
