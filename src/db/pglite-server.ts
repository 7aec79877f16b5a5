import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_textsearch } from "@electric-sql/pglite-pg_textsearch";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * PostgreSQL 18 in WebAssembly (PGlite) with pgvector and pg_textsearch,
 * served on 127.0.0.1 by pglite-socket, for tests and benchmarks: the real
 * `pg` client talks to it as to any server, with nothing to install by hand.
 * A development tool (its packages are devDependencies): production uses a
 * real PostgreSQL.
 *
 * Differences from a server that matter to callers:
 * - One backend: pglite-socket multiplexes its connections onto PGlite's
 *   single session and runs one query at a time; while a connection is in a
 *   transaction, the others' queries wait for it to end.
 * - So every connection shares session state: `pg_backend_pid()`, advisory
 *   locks (a lock taken by one connection is held by "all"), `SET`, temporary
 *   tables and named prepared statements.
 */
export interface PgliteServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** The PGlite instance behind the socket, for checks that bypass the network. */
  readonly db: PGlite;
  /** Stops the socket server and closes the database. */
  close(): Promise<void>;
}

export interface PgliteServerOptions {
  /** Connections the socket accepts at once (they still run one query at a time); default 8. */
  readonly maxConnections?: number;
  /** Load these extensions (default both); an empty list models a server without them. */
  readonly extensions?: readonly ("vector" | "pg_textsearch")[];
  /** A data directory on disk (default in memory). */
  readonly dataDir?: string;
  /** Port on 127.0.0.1; default 0, a free one. */
  readonly port?: number;
}

/**
 * A freshly initialised cluster, dumped once per machine and extension set
 * (the extensions' preloaded libraries are part of it) so later starts skip
 * initdb (seconds each).
 */
const templateFile = (extensions: readonly string[]) => path.join(tmpdir(), `union-news-bot-pglite-0.5.14-${[...extensions].sort().join("+") || "plain"}.tar`);

export async function startPgliteServer(opts: PgliteServerOptions = {}): Promise<PgliteServer> {
  const wanted = opts.extensions ?? ["vector", "pg_textsearch"];
  const extensions = {
    ...(wanted.includes("vector") ? { vector } : {}),
    ...(wanted.includes("pg_textsearch") ? { pg_textsearch } : {}),
  };
  const file = templateFile(wanted);
  const template = opts.dataDir === undefined ? await readTemplate(file) : undefined;
  const db = await PGlite.create({
    extensions,
    ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
    ...(template === undefined ? {} : { loadDataDir: template }),
  });
  if (template === undefined && opts.dataDir === undefined) await saveTemplate(db, file);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: opts.port ?? 0, maxConnections: opts.maxConnections ?? 8 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  return {
    // PGlite accepts any password; one is given so code that needs one (and redacts it) is exercised.
    url: `postgres://postgres:pglite-test-password@127.0.0.1:${port}/postgres`,
    port,
    db,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

async function readTemplate(file: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(file)]);
  } catch {
    return undefined;
  }
}

async function saveTemplate(db: PGlite, file: string): Promise<void> {
  try {
    const dump = await db.dumpDataDir("none");
    const tmp = `${file}.${randomBytes(4).toString("hex")}`;
    await writeFile(tmp, new Uint8Array(await dump.arrayBuffer()));
    await rename(tmp, file);
  } catch {
    // Only a cache: the next start runs initdb again.
  }
}
