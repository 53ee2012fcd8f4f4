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
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';

import { alopexVersion, runAlopex } from './alopex_runner.mjs';
import { openDuckDB, runScript, timeQueries } from './duckdb_runner.mjs';
import { compareRows, fail, median, newResult, repo, round, saveResult, substitute } from './util.mjs';

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

  const result = { ...newResult(name, config.title, { rows, threads, runs, warmup }), engines: {}, queries: {} };
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

  saveResult(name, result);
  if (!ok) process.exit(1);
}

function entry(result, name) {
  return (result.queries[name] ??= {});
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
