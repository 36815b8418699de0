import type { NextConfig } from "next";

// This folder is its own project: without a pinned root, Next would take a
// lockfile found higher up (the Doorman repository's) for the workspace root.
const root = import.meta.dirname;

const config: NextConfig = {
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
};

export default config;
