import { parseArgs } from "node:util";
import { startBrokenProvider } from "./broken-provider";
import { startGitHubStandIn } from "./github";
import { startTestProvider } from "./provider";

// The three stand-ins in one process, for Playwright's webServer:
//
//   npx tsx tests/support/oidc/serve.ts --app-url http://localhost:3100 --port 3190
//
//   port     the good provider ("acme"), readiness URL http://127.0.0.1:<port>/__test/ready
//   port+1   the broken provider ("broken"); POST /__test/mode {mode} picks its fault
//   port+2   the GitHub stand-in ("github"); API under /api
//
// Each has one client, `doorman` / `doorman-test-secret`, whose redirect URI
// is <app-url>/api/auth/oidc/<name>/callback.

const CLIENT_ID = "doorman";
const CLIENT_SECRET = "doorman-test-secret";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "app-url": { type: "string" }, port: { type: "string" } } });
  const appUrl = values["app-url"]?.replace(/\/+$/, "");
  const port = Number(values.port);
  if (!appUrl || !URL.canParse(appUrl) || !Number.isInteger(port) || port < 1 || port > 65533) {
    throw new Error("Usage: serve.ts --app-url http://localhost:3100 --port 3190 (uses port, port+1 and port+2)");
  }
  const client = (name: string) => [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${appUrl}/api/auth/oidc/${name}/callback`] }];

  // The readiness URL lives on the good provider: start it last, so "ready" means all three are.
  const broken = await startBrokenProvider({ port: port + 1, clients: client("broken") });
  const github = await startGitHubStandIn({ port: port + 2, clients: client("github") });
  const good = await startTestProvider({ port, clients: client("acme") });

  console.log(`OpenID provider  ${good.issuer}`);
  console.log(`broken provider  ${broken.issuer}`);
  console.log(`GitHub stand-in  ${github.webUrl} (API ${github.apiUrl})`);

  const stop = async () => {
    await Promise.all([good.close(), broken.close(), github.close()]);
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
