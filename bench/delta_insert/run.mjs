// Delta insert and time travel (bench/README.md § delta_insert).
//
//   node bench/delta_insert/run.mjs [--engines alopex,duckdb]
//
// Alopex: a fresh database directory; one process runs CREATE TABLE and
// `statements` INSERT ... SELECT statements (rows.sql, ROWS / statements rows
// each); a second process opens the directory and runs the point-in-time read
// (`t VERSION AS OF as_of`, read.sql) and the read of the latest version,
// warmup + runs times each. Every statement is timed by the shell (.timer on).
//
// DuckDB (in this process): `COPY (rows.sql) TO 'f_NNN.parquet'` for each
// statement, into a fresh folder, then read_parquet of the first `as_of` files
// and of all of them, warmup + runs times each.
//
// Both read results must agree, and so must check.sql's (the other columns,
// run once per engine and version, not timed). Environment as bench.mjs: BENCH_ROWS,
// BENCH_RUNS, BENCH_WARMUP, BENCH_THREADS, ALOPEX, BENCH_TIMEOUT; and
// BENCH_STATEMENTS (default bench.json's `statements`).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { alopexVersion, runAlopexStatements } from '../lib/alopex_runner.mjs';
import { openDuckDB } from '../lib/duckdb_runner.mjs';
import { peakMethod } from '../lib/measure.mjs';
import { compareRows, fail, median, newResult, printAligned, repo, round, saveResult, substitute } from '../lib/util.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const name = 'delta_insert';

// A SQL file's text without its comment lines.
function sqlFile(file) {
  return readFileSync(join(here, file), 'utf8')
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;$/, '');
}

function duSize(path) {
  try {
    return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return null;
  }
}

async function main(argv) {
  let engines = ['alopex', 'duckdb'];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engines') engines = argv[++i].split(',');
    else if (argv[i].startsWith('--engines=')) engines = argv[i].slice(10).split(',');
    else fail(`unknown argument "${argv[i]}" (usage: run.sh [--engines alopex,duckdb])`);
  }
  for (const e of engines) if (!['alopex', 'duckdb'].includes(e)) fail(`unknown engine "${e}" (known: alopex, duckdb)`);

  const config = JSON.parse(readFileSync(join(here, 'bench.json'), 'utf8'));
  const rows = Number(process.env.BENCH_ROWS || config.rows);
  const statements = Number(process.env.BENCH_STATEMENTS || config.statements);
  const asOf = Number(config.as_of);
  const runs = Number(process.env.BENCH_RUNS || config.runs || 5);
  const warmup = Number(process.env.BENCH_WARMUP ?? config.warmup ?? 1);
  const threads = Number(process.env.BENCH_THREADS || availableParallelism());
  const binary = resolve(repo, process.env.ALOPEX || 'build/release/alopex');
  const timeoutSeconds = Number(process.env.BENCH_TIMEOUT || 1800);
  if (!(asOf >= 1 && asOf <= statements)) fail(`as_of ${asOf} must be between 1 and the number of statements (${statements})`);

  const dataDir = join(repo, 'bench', '.data', name, `rows-${rows}`);
  const dbDir = join(dataDir, 'alopex_db');
  const parquetDir = join(dataDir, 'duckdb_parquet');
  mkdirSync(dataDir, { recursive: true });

  // Statement s inserts ids [bound(s), bound(s + 1)).
  const bound = (s) => Math.floor((s * rows) / statements);
  const rowsSql = sqlFile('rows.sql');
  const readSql = sqlFile('read.sql');
  const checkSql = sqlFile('check.sql');
  const chunk = (s) => substitute(rowsSql, { FROM: bound(s), TO: bound(s + 1) });
  const file = (s) => join(parquetDir, `f_${String(s).padStart(3, '0')}.parquet`);
  const asOfRows = bound(asOf);

  console.log(`== ${name}: ${config.title}`);
  console.log(`   ${rows.toLocaleString('en-US')} rows in ${statements} statements, read as of statement ${asOf} (${asOfRows.toLocaleString('en-US')} rows), ${threads} threads, median of ${runs} reads after ${warmup} warm-up`);

  const result = {
    ...newResult(name, config.title, { rows, statements, as_of: asOf, as_of_rows: asOfRows, threads, runs, warmup }),
    peak_rss_method: peakMethod(),
    engines: {},
    steps: {},
  };
  const step = (k) => (result.steps[k] ??= {});
  let ok = true;
  const readRows = {};

  // ---------------------------------------------------------------- DuckDB
  if (engines.includes('duckdb')) {
    const duck = await openDuckDB({ threads });
    rmSync(parquetDir, { recursive: true, force: true });
    mkdirSync(parquetDir, { recursive: true });
    const seconds = [];
    const wallStart = performance.now();
    for (let s = 0; s < statements; s++) {
      const start = performance.now();
      await duck.connection.run(`COPY (${chunk(s)}) TO '${file(s)}' (FORMAT parquet)`);
      seconds.push((performance.now() - start) / 1000);
    }
    const wall = (performance.now() - wallStart) / 1000;
    const early = `read_parquet([${Array.from({ length: asOf }, (_, s) => `'${file(s)}'`).join(', ')}])`;
    const all = `read_parquet('${parquetDir}/*.parquet')`;
    const reads = {};
    for (const [key, source] of [['read_as_of', early], ['read_latest', all]]) {
      const times = [];
      let got = [];
      for (let i = 0; i < warmup + runs; i++) {
        const start = performance.now();
        const reader = await duck.connection.runAndReadAll(substitute(readSql, { SOURCE: source }));
        got = reader.getRowsJson();
        times.push((performance.now() - start) / 1000);
      }
      const check = (await duck.connection.runAndReadAll(substitute(checkSql, { SOURCE: source }))).getRowsJson();
      reads[key] = { times, rows: got.map((r, i) => [...r, ...(check[i] ?? [])]) };
    }
    duck.connection.closeSync();
    duck.instance.closeSync();
    result.engines.duckdb = { version: duck.version, bytes_on_disk: duSize(parquetDir), what: `${statements} x COPY (SELECT ...) TO 'f_NNN.parquet' (snappy), in-process through @duckdb/node-api` };
    step('insert').duckdb = { seconds: round(seconds.reduce((a, b) => a + b, 0)), wall_seconds: round(wall), per_statement: stats(seconds) };
    for (const [key, r] of Object.entries(reads)) {
      step(key).duckdb = { median: round(median(r.times.slice(warmup))), first: round(r.times[0]), runs: r.times.slice(warmup).map(round) };
      (readRows[key] ??= {}).duckdb = r.rows;
    }
  }

  // ---------------------------------------------------------------- Alopex
  if (engines.includes('alopex')) {
    try {
      const version = alopexVersion(binary);
      rmSync(dbDir, { recursive: true, force: true });
      const insert = await runAlopexStatements({
        binary,
        threads,
        database: dbDir,
        statements: [
          'CREATE TABLE t (id BIGINT, category VARCHAR, price DOUBLE, created_at TIMESTAMP)',
          ...Array.from({ length: statements }, (_, s) => `INSERT INTO t ${chunk(s)}`),
        ],
        scriptPath: join(dataDir, 'alopex_insert.sql'),
        outputPath: join(dataDir, 'alopex_insert_output.txt'),
        timeoutSeconds,
      });
      if (insert.error) throw new Error(`inserts: ${insert.error}`);
      const seconds = insert.statements.slice(1).map((s) => s.seconds);
      const readStatements = [];
      for (const source of [`t VERSION AS OF ${asOf}`, 't']) {
        for (let i = 0; i < warmup + runs; i++) readStatements.push(substitute(readSql, { SOURCE: source }));
      }
      for (const source of [`t VERSION AS OF ${asOf}`, 't']) readStatements.push(substitute(checkSql, { SOURCE: source }));
      const read = await runAlopexStatements({
        binary,
        threads,
        database: dbDir,
        statements: readStatements,
        scriptPath: join(dataDir, 'alopex_read.sql'),
        outputPath: join(dataDir, 'alopex_read_output.txt'),
        timeoutSeconds,
      });
      if (read.error) throw new Error(`reads: ${read.error}`);
      result.engines.alopex = {
        version,
        bytes_on_disk: duSize(dbDir),
        what: `CREATE TABLE + ${statements} x INSERT INTO t SELECT ... in one process (alopex DBDIR -f), reads in a second process`,
        create_table_seconds: insert.statements[0].seconds,
        insert_process: { wall_seconds: round(insert.wallSeconds), peak_rss_bytes: insert.peakRssBytes },
        read_process: { wall_seconds: round(read.wallSeconds), peak_rss_bytes: read.peakRssBytes },
      };
      step('insert').alopex = { seconds: round(seconds.reduce((a, b) => a + b, 0)), wall_seconds: round(insert.wallSeconds), per_statement: stats(seconds) };
      const n = warmup + runs;
      for (const [q, key] of [[0, 'read_as_of'], [1, 'read_latest']]) {
        const mine = read.statements.slice(q * n, (q + 1) * n);
        step(key).alopex = { median: round(median(mine.slice(warmup).map((s) => s.seconds))), first: mine[0].seconds, runs: mine.slice(warmup).map((s) => s.seconds) };
        const check = read.statements[2 * n + q].rows;
        (readRows[key] ??= {}).alopex = mine.at(-1).rows.map((r, i) => [...r, ...(check[i] ?? [])]);
      }
    } catch (error) {
      ok = false;
      result.engines.alopex = { error: error.message };
    }
  }

  // ---------------------------------------------------------------- check, print, save
  for (const key of ['read_as_of', 'read_latest']) {
    const r = readRows[key];
    if (!r) continue;
    const e = step(key);
    if (r.alopex && r.duckdb) {
      e.check = compareRows(r.alopex, r.duckdb);
      if (e.check !== 'ok') ok = false;
    }
    // The count must be the rows of the first as_of statements, or all rows.
    const want = key === 'read_as_of' ? asOfRows : rows;
    for (const [engine, got] of Object.entries(r)) {
      if (Number(got[0]?.[0]) !== want) {
        ok = false;
        e.check = `${engine} counted ${got[0]?.[0]} rows, expected ${want}`;
      }
    }
  }
  for (const e of Object.values(result.steps)) {
    const a = e.alopex?.median ?? e.alopex?.seconds;
    const d = e.duckdb?.median ?? e.duckdb?.seconds;
    if (a != null && d) e.ratio = round(a / d);
  }
  if (result.steps.insert?.ratio != null) result.targets = { insert_at_most_duckdb: result.steps.insert.ratio <= 1 };
  if (result.steps.read_as_of?.ratio != null) (result.targets ??= {}).read_as_of_at_most_duckdb = result.steps.read_as_of.ratio <= 1;

  const fmt = (s) => (s == null ? '-' : `${s.toFixed(3)} s`);
  const table = [['step', 'alopex', 'duckdb', 'alopex/duckdb', 'result check']];
  const labels = {
    insert: `insert: ${statements} statements, sum`,
    read_as_of: `read VERSION AS OF ${asOf}, median`,
    read_latest: 'read latest version, median',
  };
  for (const [key, label] of Object.entries(labels)) {
    const e = result.steps[key];
    if (!e) continue;
    table.push([label, fmt(e.alopex?.median ?? e.alopex?.seconds), fmt(e.duckdb?.median ?? e.duckdb?.seconds), e.ratio != null ? `${e.ratio.toFixed(2)}x` : '-', e.check ?? '-']);
  }
  printAligned(table, [0, 4]);
  const ins = result.steps.insert;
  if (ins?.alopex) console.log(`   alopex: insert process ${ins.alopex.wall_seconds.toFixed(3)} s wall (CREATE TABLE, opening, exit), per INSERT min/median/max ${ins.alopex.per_statement.min.toFixed(3)}/${ins.alopex.per_statement.median.toFixed(3)}/${ins.alopex.per_statement.max.toFixed(3)} s, ${mb(result.engines.alopex.bytes_on_disk)} on disk; first read in the new process ${fmt(result.steps.read_as_of.alopex.first)}`);
  if (ins?.duckdb) console.log(`   duckdb: per COPY min/median/max ${ins.duckdb.per_statement.min.toFixed(3)}/${ins.duckdb.per_statement.median.toFixed(3)}/${ins.duckdb.per_statement.max.toFixed(3)} s, ${mb(result.engines.duckdb.bytes_on_disk)} on disk; first read ${fmt(result.steps.read_as_of.duckdb.first)}`);
  if (result.targets) console.log(`   targets (Alopex at most DuckDB's time): ${Object.entries(result.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`);
  if (result.engines.alopex?.error) console.log(`   alopex: ${result.engines.alopex.error}`);
  result.read_result = readRows.read_as_of?.duckdb ?? readRows.read_as_of?.alopex;

  saveResult(name, result);
  if (!ok) process.exit(1);
}

function stats(xs) {
  return { min: round(Math.min(...xs)), median: round(median(xs)), max: round(Math.max(...xs)), all: xs.map(round) };
}

function mb(bytes) {
  return bytes == null ? '?' : `${(bytes / 1e6).toFixed(0)} MB`;
}

main(process.argv.slice(2)).catch((error) => fail(error.stack || error.message));
