import { NotFoundNotice } from "@/app/_components/not-found-notice";

// /dev/mailbox outside development.
export default function SiteNotFound() {
  return <NotFoundNotice />;
}
