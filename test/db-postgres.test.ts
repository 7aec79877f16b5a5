import { describe, expect, it } from "vitest";
import { migrate, type Migration } from "../src/db/migrate.js";
import { checkDatabase, createPool, DatabaseError, describeDatabase, query } from "../src/db/postgres.js";
import { usePgliteServer } from "./helpers/pglite-server.js";
import { closedPort } from "./support/ports.js";

const server = usePgliteServer();

describe("node-postgres through PGlite on loopback", () => {
  it("connects with the real pg client and serves pgvector's HNSW (inner product)", async () => {
    const pool = createPool({ url: server().url, poolMax: 2 });
    try {
      const { rows } = await query<{ version: string }>(pool, "select version()");
      expect(rows[0]!.version).toMatch(/^PostgreSQL 18/);
      await query(pool, "create extension if not exists vector");
      await query(pool, "create table vt (id int primary key, v vector(3))");
      await query(pool, "insert into vt values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.6,0.8,0]')");
      await query(pool, "create index on vt using hnsw (v vector_ip_ops)");
      const hits = await query<{ id: number }>(pool, "select id from vt order by v <#> $1 limit 2", ["[0.5,0.9,0]"]);
      expect(hits.rows.map((r) => r.id)).toEqual([3, 2]);
      const ext = await query<{ extversion: string }>(pool, "select extversion from pg_extension where extname = 'vector'");
      expect(ext.rows[0]!.extversion).toBe("0.8.7");
    } finally {
      await pool.end();
    }
  });

  it("serves pg_textsearch's bm25 index and <@> over space-separated words", async () => {
    const pool = createPool({ url: server().url, poolMax: 2 });
    try {
      await query(pool, "create extension if not exists pg_textsearch");
      await query(pool, "create table docs (id int primary key, body text)");
      await query(pool, "insert into docs values (1, '工会 送清凉 职工 高温'), (2, '职工 代表 大会'), (3, '外卖 配送员 工会 驿站'), (4, '足球 比赛')");
      await query(pool, "create index docs_bm25 on docs using bm25 (body) with (text_config = 'simple')");
      const q = "select id, body <@> to_bm25query($1, 'docs_bm25') as score from docs order by body <@> to_bm25query($1, 'docs_bm25') limit 3";
      const { rows } = await query<{ id: number; score: number }>(pool, q, ["送清凉 职工"]);
      expect(rows[0]!.id).toBe(1);
      expect(rows.map((r) => r.id)).not.toContain(4);
      // Scores are negated BM25: lower is better, so ascending order ranks best first.
      expect(rows[0]!.score).toBeLessThan(0);
      const ext = await query<{ extversion: string }>(pool, "select extversion from pg_extension where extname = 'pg_textsearch'");
      expect(ext.rows[0]!.extversion).toBe("1.5.1");
    } finally {
      await pool.end();
    }
  });

  it("names host, port and database, never the password, when the server is unreachable", async () => {
    const port = await closedPort();
    const pool = createPool({ url: `postgres://bot:s3cret-pw@127.0.0.1:${port}/news`, connectTimeoutMs: 2_000 });
    try {
      const error = await checkDatabase(pool).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      const message = (error as Error).message;
      expect(message).toContain(`127.0.0.1:${port}/news`);
      expect(message).toContain("connection refused");
      expect(message).not.toContain("s3cret-pw");
      expect(JSON.stringify(error)).not.toContain("s3cret-pw");
    } finally {
      await pool.end();
    }
  });

  it("describes a URL without its credentials", () => {
    expect(describeDatabase("postgres://u:p%40ss@db.example:6543/union")).toBe("db.example:6543/union");
    expect(describeDatabase("postgresql://u@localhost/x")).toBe("localhost:5432/x");
  });
});

describe("migrate", () => {
  const v1: Migration = { version: 1, name: "things", up: "create table things (id int primary key)" };
  const v2: Migration = { version: 2, name: "things.label", up: "alter table things add column label text" };

  it("applies each component's versions once, even when two instances start together", async () => {
    const a = createPool({ url: server().url, poolMax: 2 });
    const b = createPool({ url: server().url, poolMax: 2 });
    try {
      const [ra, rb] = await Promise.all([migrate(a, "test-a", [v1]), migrate(b, "test-a", [v1])]);
      expect([...ra.applied, ...rb.applied]).toEqual([1]);
      const again = await migrate(a, "test-a", [v1, v2]);
      expect(again).toMatchObject({ from: 1, to: 2, applied: [2] });
      await query(a, "insert into things (id, label) values (1, 'x')");
      // Another component's versions are its own.
      const other = await migrate(a, "test-b", [{ version: 1, name: "others", up: "create table others (id int)" }]);
      expect(other.applied).toEqual([1]);
      const { rows } = await query<{ component: string; version: number }>(a, "select component, version from schema_migrations order by component, version");
      expect(rows).toEqual([
        { component: "test-a", version: 1 },
        { component: "test-a", version: 2 },
        { component: "test-b", version: 1 },
      ]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("refuses a database newer than the program, and rolls back a failed migration whole", async () => {
    const pool = createPool({ url: server().url, poolMax: 2 });
    try {
      await migrate(pool, "test-c", [{ version: 1, name: "c", up: "create table c1 (id int)" }, { version: 2, name: "c2", up: "create table c2 (id int)" }]);
      await expect(migrate(pool, "test-c", [{ version: 1, name: "c", up: "create table c1 (id int)" }])).rejects.toThrow(/test-c schema is at version 2, this program knows versions up to 1/);
      const broken: Migration = { version: 1, name: "half", up: "create table half_done (id int); select no_such_function()" };
      await expect(migrate(pool, "test-d", [broken])).rejects.toThrow(/migration test-d 1 \(half\) failed/);
      const left = await query(pool, "select 1 from pg_tables where tablename = 'half_done'");
      expect(left.rowCount).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
