import { NotFoundNotice } from "@/app/_components/not-found-notice";

// /admin for anyone who is not an admin: the console is not advertised.
export default function SignedInNotFound() {
  return <NotFoundNotice />;
}
