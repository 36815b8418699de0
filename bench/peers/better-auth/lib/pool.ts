import { Pool } from "pg";

/** The app's PostgreSQL connections, shared by Better Auth and by the migration script that must close them. */
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
