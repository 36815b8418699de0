// DOORMAN_URL=https://auth.example.com PORT=4000 npx tsx examples/resource-server/main.ts
// curl -H "Authorization: Bearer $ACCESS_TOKEN" http://localhost:4000/
import { createResourceServer } from "./server";

const doormanUrl = process.env.DOORMAN_URL ?? "http://localhost:3000";
const port = Number(process.env.PORT ?? 4000);
createResourceServer(doormanUrl).listen(port, () => console.log(`Verifying Doorman tokens from ${doormanUrl} on :${port}`));
