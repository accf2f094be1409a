import { signOutAction } from "@/app/settings/sign-out-action";

export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="btn btn-small">
        Sign out
      </button>
    </form>
  );
}
