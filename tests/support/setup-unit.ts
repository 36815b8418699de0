import { useTestSecrets } from "./test-env";
import { failOnConsoleError } from "./console-guard";

await useTestSecrets();
failOnConsoleError();
