// Preloaded (--import) into app instances started with `npm run bench -- --profile`:
// node writes a --cpu-prof profile only when the process exits by itself, and
// the default SIGTERM handling kills it first.
process.once("SIGTERM", () => process.exit(0));
