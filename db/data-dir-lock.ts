import fs from "node:fs";
import path from "node:path";

// PGlite has no lock of its own: two processes opening one data directory
// corrupt it. A pid file turns that into a clear refusal.

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

export function acquireDataDirLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "pglite.pid");
  const holderPid = readPid(lockFile);
  if (holderPid !== null && holderPid !== process.pid && isAlive(holderPid)) {
    throw new DataDirLockedError(
      `The embedded database in ${dataDir} is in use by process ${holderPid} (probably \`npm run dev\` or \`npm start\`). ` +
        "Stop that process first, or set DATABASE_URL to use PostgreSQL.",
    );
  }
  fs.writeFileSync(lockFile, String(process.pid));
  const release = () => {
    if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  };
  process.once("exit", release);
  return release;
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
