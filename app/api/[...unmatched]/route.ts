import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/respond";

// An /api path that no route serves answers in the contract's error shape,
// not with the site's HTML not-found page. Signed out, the middleware answers
// 401 before this runs: protected by default (docs/decisions/0028).
async function unmatched(): Promise<Response> {
  return errorResponse(new AppError("notFound"));
}

export { unmatched as GET, unmatched as POST, unmatched as PUT, unmatched as PATCH, unmatched as DELETE };
