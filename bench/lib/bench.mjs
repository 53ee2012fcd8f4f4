// Runs one benchmark folder: generates its data once, times its queries in
// Alopex and in DuckDB, checks that both return the same rows, prints a table
// and writes bench/results/<name>.json. See bench/README.md.
//
//   node bench/lib/bench.mjs bench/groupby_join [--engines alopex,duckdb]
//
// Environment: BENCH_ROWS, BENCH_RUNS, BENCH_WARMUP (override bench.json),
// BENCH_THREADS (default: cores), ALOPEX (binary, default build/release/alopex),
// BENCH_TIMEOUT (seconds for the Alopex process, default 1800).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { alopexVersion, runAlopex } from './alopex_runner.mjs';
import { openDuckDB, runScript, timeQueries } from './duckdb_runner.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ${NAME} placeholders in a benchmark's SQL files.
function substitute(sql, vars) {
  return sql.replace(/\$\{([A-Z_]+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

// ---------------------------------------------------------------- result check

// A cell as compared: numbers (and numeric strings, as DuckDB gives BIGINT and
// DECIMAL) become numbers, everything else its JSON text.
function cell(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Number(v);
  return JSON.stringify(v);
}

function sameCell(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
  }
  return a === b;
}

// Order-insensitive comparison of two row sets; floating-point cells may differ
// in the last digits (sums in another order). Returns 'ok' or what differs.
function compareRows(got, want) {
  if (got.length !== want.length) return `${got.length} rows, DuckDB ${want.length}`;
  const key = (row) => row.map((c) => (typeof c === 'number' ? c.toPrecision(6) : c)).join('\u001f');
  const norm = (rows) => rows.map((r) => r.map(cell)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const g = norm(got);
  const w = norm(want);
  for (let i = 0; i < g.length; i++) {
    if (g[i].length !== w[i].length) return `${g[i].length} columns, DuckDB ${w[i].length}`;
    for (let j = 0; j < g[i].length; j++) {
      if (!sameCell(g[i][j], w[i][j])) return `row ${JSON.stringify(g[i])} vs DuckDB ${JSON.stringify(w[i])}`;
    }
  }
  return 'ok';
}

// ---------------------------------------------------------------- main

async function main(argv) {
  let engines = ['alopex', 'duckdb'];
  const dirs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engines') engines = argv[++i].split(',');
    else if (argv[i].startsWith('--engines=')) engines = argv[i].slice(10).split(',');
    else dirs.push(argv[i]);
  }
  if (dirs.length !== 1) fail('usage: node bench/lib/bench.mjs bench/NAME [--engines alopex,duckdb]');
  for (const e of engines) if (!['alopex', 'duckdb'].includes(e)) fail(`unknown engine "${e}" (known: alopex, duckdb)`);

  const dir = resolve(dirs[0]);
  const name = basename(dir);
  const config = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
  const rows = Number(process.env.BENCH_ROWS || config.rows);
  const runs = Number(process.env.BENCH_RUNS || config.runs || 5);
  const warmup = Number(process.env.BENCH_WARMUP ?? config.warmup ?? 1);
  const threads = Number(process.env.BENCH_THREADS || availableParallelism());
  const binary = resolve(repo, process.env.ALOPEX || 'build/release/alopex');
  const read = (file) => readFileSync(join(dir, file), 'utf8');

  const dataDir = join(repo, 'bench', '.data', name, `rows-${rows}`);
  const vars = { DATA: dataDir, ROWS: rows };
  const queries = config.queries.map((q) => ({ name: q, sql: substitute(read(join('queries', `${q}.sql`)), vars) }));

  console.log(`== ${name}: ${config.title}`);
  console.log(`   ${rows.toLocaleString('en-US')} rows, ${threads} threads, median of ${runs} runs after ${warmup} warm-up`);

  const duck = await openDuckDB({ threads });

  // Data: generated once by DuckDB into bench/.data, regenerated when the
  // generating SQL or the row count changes.
  const generate = substitute(read('generate.sql'), vars);
  const stamp = join(dataDir, '.complete');
  const digest = createHash('sha256').update(generate).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    process.stdout.write(`   generating data in ${relative(repo, dataDir)} ... `);
    const seconds = await runScript(duck.connection, generate);
    writeFileSync(stamp, digest);
    console.log(`${seconds.toFixed(1)} s`);
  }

  const result = {
    benchmark: name,
    title: config.title,
    rows,
    threads,
    runs,
    warmup,
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memory_gib: Math.round(totalmem() / 2 ** 30) },
    commit: gitDescribe(),
    engines: {},
    queries: {},
  };
  let ok = true;

  if (engines.includes('duckdb')) {
    const loadSeconds = await runScript(duck.connection, substitute(read('load_duckdb.sql'), vars));
    const timed = await timeQueries(duck.connection, queries, { warmup, runs });
    result.engines.duckdb = { version: duck.version, load_seconds: round(loadSeconds) };
    for (const q of timed) entry(result, q.name).duckdb = { median: round(median(q.seconds)), runs: q.seconds.map(round), rows: q.rows };
  }
  // Free DuckDB's tables and threads before Alopex runs.
  duck.connection.closeSync();
  duck.instance.closeSync();

  if (engines.includes('alopex')) {
    try {
      const version = alopexVersion(binary);
      const out = runAlopex({
        binary,
        threads,
        loadSql: substitute(read('load_alopex.sql'), vars),
        queries,
        warmup,
        runs,
        scriptPath: join(dataDir, 'alopex_script.sql'),
        outputPath: join(dataDir, 'alopex_output.txt'),
        timeoutSeconds: Number(process.env.BENCH_TIMEOUT || 1800),
      });
      result.engines.alopex = { version, load_seconds: round(out.loadSeconds) };
      for (const q of out.queries) entry(result, q.name).alopex = { median: q.seconds.length ? round(median(q.seconds)) : null, runs: q.seconds, rows: q.rows };
    } catch (error) {
      ok = false;
      result.engines.alopex = { error: error.message };
    }
  }

  // Compare, print, save.
  for (const q of queries) {
    const e = entry(result, q.name);
    if (e.alopex?.median != null && e.duckdb?.median) e.ratio = round(e.alopex.median / e.duckdb.median);
    if (e.alopex && e.duckdb) {
      e.check = compareRows(e.alopex.rows, e.duckdb.rows);
      if (e.check !== 'ok') ok = false;
    }
    e.result_rows = (e.duckdb ?? e.alopex).rows.length;
    delete e.alopex?.rows;
    delete e.duckdb?.rows;
  }
  printTable(result, queries);
  if (result.engines.alopex?.error) console.log(`   alopex: ${result.engines.alopex.error}`);

  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const file = join(repo, 'bench', 'results', `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`   results: ${relative(repo, file)}`);
  if (!ok) process.exit(1);
}

function entry(result, name) {
  return (result.queries[name] ??= {});
}

function round(x) {
  return Math.round(x * 1e4) / 1e4;
}

function gitDescribe() {
  try {
    return execFileSync('git', ['-C', repo, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function printTable(result, queries) {
  const fmt = (s) => (s == null ? '-' : `${s.toFixed(3)} s`);
  const rows = [['query', 'alopex', 'duckdb', 'alopex/duckdb', 'result check']];
  for (const q of queries) {
    const e = result.queries[q.name];
    rows.push([q.name, fmt(e.alopex?.median), fmt(e.duckdb?.median), e.ratio != null ? `${e.ratio.toFixed(2)}x` : '-', e.check ?? '-']);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  for (const r of rows) console.log('   ' + r.map((c, j) => (j === 0 || j === 4 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd());
}

main(process.argv.slice(2)).catch((error) => fail(error.stack || error.message));
