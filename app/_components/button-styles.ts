// One look for every button-like control, whether it is a <button> or a <Link>.

type Variant = "primary" | "secondary" | "danger";
type Size = "md" | "sm";

const base =
  "inline-flex items-center justify-center gap-2 rounded-md font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed disabled:opacity-60";

const variants: Record<Variant, string> = {
  primary: "bg-zinc-900 text-white shadow-sm hover:bg-zinc-700 disabled:hover:bg-zinc-900",
  secondary: "border border-zinc-300 bg-white text-zinc-800 shadow-xs hover:bg-zinc-50",
  danger: "border border-red-200 bg-white text-red-700 shadow-xs hover:bg-red-50",
};

const sizes: Record<Size, string> = {
  md: "h-10 px-4 text-sm",
  sm: "h-8 px-3 text-sm",
};

export type ButtonStyle = { variant?: Variant; size?: Size; wide?: boolean };

export function buttonClass({ variant = "primary", size = "md", wide = false }: ButtonStyle = {}): string {
  return [base, variants[variant], sizes[size], wide ? "w-full" : ""].join(" ");
}
