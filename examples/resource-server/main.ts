// DOORMAN_URL=https://auth.example.com AUDIENCE=https://api.example.com PORT=4000 npx tsx examples/resource-server/main.ts
// AUDIENCE is this service's origin as Doorman's DOWNSTREAM_API_ORIGINS lists it; Doorman's callApi mints tokens for it.
import { createResourceServer } from "./server";

const doormanUrl = process.env.DOORMAN_URL ?? "http://localhost:3000";
const port = Number(process.env.PORT ?? 4000);
const audience = process.env.AUDIENCE ?? `http://localhost:${port}`;
createResourceServer(doormanUrl, { audience }).listen(port, () => console.log(`Verifying Doorman tokens for ${audience} from ${doormanUrl} on :${port}`));
