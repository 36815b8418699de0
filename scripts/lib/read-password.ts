import { text } from "node:stream/consumers";

// The password for `npm run user -- create`: typed at a prompt that does not
// echo it, twice, when a person is at the terminal; otherwise the first line
// of stdin, so scripts can pipe it in. Never from argv (scripts/user.ts says why).

export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/, 1)[0] ?? "";
  const password = await promptHidden("Password: ");
  if ((await promptHidden("Repeat it: ")) !== password) throw new Error("The two passwords differ; nothing was changed.");
  return password;
}

/** Raw mode: the terminal shows nothing typed, and Enter, Backspace and Ctrl-C come to us as characters. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (settle: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(() => resolve(typed.join("")));
        if (char === "\u0003" || char === "\u0004") return finish(() => reject(new Error("Cancelled; nothing was changed.")));
        typed = char === "\u007f" || char === "\b" ? typed.slice(0, -1) : [...typed, char];
      }
    };
    stdin.on("data", onData);
  });
}
