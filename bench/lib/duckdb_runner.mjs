// DuckDB side of a benchmark: runs SQL through @duckdb/node-api (installed in
// bench/peers by `scripts/setup --bench`) in this process, timing each query.
//
//   import { openDuckDB, timeQueries } from './duckdb_runner.mjs';
//
// Also a command line for trying a query by hand:
//   node bench/lib/duckdb_runner.mjs [--threads N] [--runs N] [--warmup N] FILE.sql...
// runs every FILE (the first ones may load data) and times the last one.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

// The bench peers live in bench/peers/node_modules, which Node's resolution
// from bench/lib does not search; resolve from bench/peers/package.json.
const peers = createRequire(new URL('../peers/package.json', import.meta.url));

export async function loadDuckDBModule() {
  let path;
  try {
    path = peers.resolve('@duckdb/node-api');
  } catch {
    throw new Error('@duckdb/node-api is not installed in bench/peers; run scripts/setup --bench');
  }
  return import(pathToFileURL(path).href);
}

// An in-memory DuckDB with `threads` worker threads; returns { connection, version }.
export async function openDuckDB({ threads }) {
  const { DuckDBInstance } = await loadDuckDBModule();
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
  return { instance, connection, version };
}

// Runs `sql` (any number of statements) and returns the seconds it took.
export async function runScript(connection, sql) {
  const start = performance.now();
  await connection.run(sql);
  return (performance.now() - start) / 1000;
}

// Times each query `warmup + runs` times in a row. The clock covers executing
// the query and reading its whole result into JavaScript values.
// Returns [{ name, seconds: [timed runs...], rows: [[...], ...] (last run), columns }].
export async function timeQueries(connection, queries, { warmup, runs }) {
  const out = [];
  for (const { name, sql } of queries) {
    const seconds = [];
    let rows = [];
    let columns = [];
    for (let i = 0; i < warmup + runs; i++) {
      const start = performance.now();
      const reader = await connection.runAndReadAll(sql);
      rows = reader.getRowsJson();
      const elapsed = (performance.now() - start) / 1000;
      columns = reader.columnNames();
      if (i >= warmup) seconds.push(elapsed);
    }
    out.push({ name, seconds, rows, columns });
  }
  return out;
}

async function main(argv) {
  const options = { threads: 2, runs: 5, warmup: 1 };
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    if (argv[i].startsWith('--') && flag in options) options[flag] = Number(argv[++i]);
    else files.push(argv[i]);
  }
  if (files.length === 0) {
    console.error('usage: node bench/lib/duckdb_runner.mjs [--threads N] [--runs N] [--warmup N] FILE.sql...');
    process.exit(2);
  }
  const { connection, version } = await openDuckDB(options);
  for (const file of files.slice(0, -1)) {
    console.log(`${file}: ${(await runScript(connection, readFileSync(file, 'utf8'))).toFixed(3)} s`);
  }
  const last = files.at(-1);
  const [result] = await timeQueries(connection, [{ name: last, sql: readFileSync(last, 'utf8') }], options);
  console.log(`DuckDB ${version}, ${options.threads} threads: ${last}:`,
    result.seconds.map((s) => s.toFixed(3)).join(' '), `s (${result.rows.length} rows)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
