/** Where a sign-in that owes a second factor goes, carrying on to `next` (already a safe path) afterwards. */
export function secondFactorPagePath(next: string): string {
  return `/login/second-factor?${new URLSearchParams({ next }).toString()}`;
}
