import { spread, type Spread } from "./stats";

export type Table = { headers: string[]; rows: string[][] };

export type Target = { what: string; goal: string; measured: string; met: boolean };

export type SectionResult = {
  title: string;
  /** What was measured and how, in a sentence or two. */
  method: string;
  tables: Table[];
  targets: Target[];
  notes: string[];
};

export function renderTable({ headers, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderSection(section: SectionResult): string {
  const parts = [`## ${section.title}`, section.method, ...section.tables.map(renderTable)];
  if (section.targets.length > 0) {
    parts.push(
      renderTable({
        headers: ["target", "goal", "measured (median, min–max)", ""],
        rows: section.targets.map((t) => [t.what, t.goal, t.measured, t.met ? "**met**" : "**missed**"]),
      }),
    );
  }
  if (section.notes.length > 0) parts.push(section.notes.map((note) => `- ${note}`).join("\n"));
  return parts.join("\n\n");
}

/** "123 (118–131)": the median, then the smallest and largest round. */
export function fmt(value: Spread, digits = 0, unit = ""): string {
  const n = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
  return `${n(value.median)}${unit} (${n(value.min)}–${n(value.max)})`;
}

/** CPU figures exist only where /proc does (bench/lib/cpu.ts). */
export function cpuCell(values: (number | null)[]): string {
  return values.every((v): v is number => v !== null) ? fmt(spread(values), 2) : "–";
}
