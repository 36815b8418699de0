import { readFileSync } from "node:fs";
import path from "node:path";

// npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 30]
// Where a CPU profile (node --cpu-prof; `npm run bench -- --profile DIR`)
// spent its time: self time per function and per package, biggest first.
// For the full picture open the file in Chrome DevTools or speedscope.

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function owner(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes("/.next/")) return `app: ${path.basename(url)}`;
  return url.startsWith("node:") || url === "" ? url || "(native / idle / gc)" : path.basename(url);
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf("--top") + 1]) || 30;
  if (!file) throw new Error("Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 30]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += micros;
    const key = `${functionName || "(anonymous)"}  ${owner(url)}:${lineNumber + 1}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + micros);
    selfByOwner.set(owner(url), (selfByOwner.get(owner(url)) ?? 0) + micros);
  });
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
    }
  };
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  print("self time by package or file", selfByOwner);
  print("self time by function", selfByFunction);
}

main();
