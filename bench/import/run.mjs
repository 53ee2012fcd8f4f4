// Import (bench/README.md § import): the same Parquet files into a new
// persistent table, one timed run per engine, each in a process of its own
// whose peak memory (RSS) is measured (bench/lib/measure.mjs).
//
//   node bench/import/run.mjs [--engines cat,duckdb,alopex,alopex_1gb,lancedb]
//
// 1. DuckDB generates ROWS rows in `files` snappy Parquet files once
//    (generate.sql) into bench/.data/import/rows-N/parquet/.
// 2. Before each engine: the previous target is gone, dirty pages are synced,
//    and the files are read once (cat) so every engine reads them from the
//    page cache.
//    - cat: `cat FILES > /dev/null`, timed (the floor: reading the bytes);
//    - duckdb: CREATE TABLE docs AS SELECT * FROM read_parquet(GLOB) into a
//      new database file, plus CHECKPOINT (bench/import/peer.mjs);
//    - alopex: `COPY FROM 'GLOB' INTO docs` into a new database directory
//      (`alopex DBDIR -f script`, timed by the shell's .timer);
//    - alopex_1gb: the same after SET alopex.import_memory_limit = '1GB';
//    - lancedb: DuckDB streams the files into LanceDB table.add() batches
//      (bench/import/peer.mjs explains the method).
//    Each engine then checks count(*) and sum(id) of what it imported (not timed).
// 3. Prints engine, seconds, peak RSS, ratio to DuckDB and writes
//    bench/results/import.json.
//
// Environment: BENCH_ROWS (default bench.json), BENCH_THREADS (default cores),
// ALOPEX, BENCH_TIMEOUT (seconds per engine, default 3600), BENCH_KEEP=1 to
// keep each engine's target (default: removed after its size is taken),
// LANCE_BATCH_ROWS (rows per LanceDB add, default bench.json's).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { alopexVersion, runAlopexStatements } from '../lib/alopex_runner.mjs';
import { openDuckDB, runScript } from '../lib/duckdb_runner.mjs';
import { measurePeak, peakMethod } from '../lib/measure.mjs';
import { fail, newResult, printAligned, repo, round, saveResult, substitute } from '../lib/util.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const name = 'import';
const kEngines = ['cat', 'duckdb', 'alopex', 'alopex_1gb', 'lancedb'];

function duSize(path) {
  try {
    return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return null;
  }
}

// GB as Alopex's settings count them ('1GB' = 10^9 bytes).
const gb = (bytes) => (bytes == null ? '-' : (bytes / 1e9).toFixed(2));

async function main(argv) {
  let engines = kEngines;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engines') engines = argv[++i].split(',');
    else if (argv[i].startsWith('--engines=')) engines = argv[i].slice(10).split(',');
    else fail(`unknown argument "${argv[i]}" (usage: run.sh [--engines ${kEngines.join(',')}])`);
  }
  for (const e of engines) if (!kEngines.includes(e)) fail(`unknown engine "${e}" (known: ${kEngines.join(', ')})`);

  const config = JSON.parse(readFileSync(join(here, 'bench.json'), 'utf8'));
  const rows = Number(process.env.BENCH_ROWS || config.rows);
  const files = Number(config.files);
  const threads = Number(process.env.BENCH_THREADS || availableParallelism());
  const binary = resolve(repo, process.env.ALOPEX || 'build/release/alopex');
  const timeoutSeconds = Number(process.env.BENCH_TIMEOUT || 3600);
  const batchRows = Number(process.env.LANCE_BATCH_ROWS || config.lance_batch_rows);
  const keep = process.env.BENCH_KEEP === '1';

  const dataDir = join(repo, 'bench', '.data', name, `rows-${rows}`);
  const parquetDir = join(dataDir, 'parquet');
  const targetDir = join(dataDir, 'targets');
  const glob = join(parquetDir, '*.parquet');

  console.log(`== ${name}: ${config.title}`);
  console.log(`   ${rows.toLocaleString('en-US')} rows in ${files} files, ${threads} threads, one timed run per engine, peak RSS by ${peakMethod()}`);

  // ---------------------------------------------------------------- data
  const template = readFileSync(join(here, 'generate.sql'), 'utf8');
  const bound = (k) => Math.floor((k * rows) / files);
  const fileSql = Array.from({ length: files }, (_, k) =>
    substitute(template, { FROM: bound(k), TO: bound(k + 1), ROWS: rows, FILE: join(parquetDir, `part-${k}.parquet`) }),
  );
  const stamp = join(dataDir, '.complete');
  const digest = createHash('sha256').update(fileSql.join('\n')).digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(parquetDir, { recursive: true });
    process.stdout.write(`   generating data in ${relative(repo, parquetDir)} ... `);
    const duck = await openDuckDB({ threads });
    let s = 0;
    for (const sql of fileSql) s += await runScript(duck.connection, sql);
    duck.connection.closeSync();
    duck.instance.closeSync();
    writeFileSync(stamp, digest);
    console.log(`${s.toFixed(1)} s`);
  }
  const parquetFiles = readdirSync(parquetDir).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(parquetDir, f));
  const parquetBytes = parquetFiles.reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(`   source: ${parquetFiles.length} files, ${(parquetBytes / 1e9).toFixed(2)} GB`);

  const result = {
    ...newResult(name, config.title, { rows, files: parquetFiles.length, source_bytes: parquetBytes, threads }),
    peak_rss_method: peakMethod(),
    engines: {},
  };
  let ok = true;
  const wantCheck = [rows, (rows * (rows - 1)) / 2];

  // Before each engine: sync what the previous one wrote, then read the files
  // once so they come from the page cache.
  const prepare = async () => {
    execFileSync('sync');
    await measurePeak('sh', ['-c', 'cat "$@" > /dev/null', 'sh', ...parquetFiles]);
  };
  const target = (engine, suffix = '') => join(targetDir, `${engine}${suffix}`);
  const finish = (engine, path, entry) => {
    entry.target_bytes = existsSync(path) ? duSize(path) : null;
    if (!keep) rmSync(path, { recursive: true, force: true });
    result.engines[engine] = entry;
    if (entry.error) ok = false;
    else if (entry.check) {
      const got = entry.check.map(Number);
      entry.check_ok = got[0] === wantCheck[0] && got[1] === wantCheck[1];
      if (!entry.check_ok) {
        ok = false;
        entry.error = `imported count(*), sum(id) = ${entry.check.join(', ')}, expected ${wantCheck.join(', ')}`;
      }
    }
    const e = result.engines[engine];
    console.log(`   ${engine.padEnd(10)} ${e.error ? 'FAILED' : `${e.seconds.toFixed(3)} s`}, peak RSS ${gb(e.peak_rss_bytes)} GB${e.error ? `: ${e.error}` : ''}`);
  };
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });

  for (const engine of engines) {
    await prepare();
    if (engine === 'cat') {
      const r = await measurePeak('sh', ['-c', 'cat "$@" > /dev/null', 'sh', ...parquetFiles], { timeoutSeconds });
      finish(engine, '/nonexistent', {
        what: `cat ${parquetFiles.length} files > /dev/null, warm page cache`,
        seconds: round(r.wallSeconds),
        peak_rss_bytes: r.peakRssBytes,
        error: r.status === 0 ? undefined : `status ${r.status}: ${r.stderr.trim()}`,
      });
    } else if (engine === 'duckdb' || engine === 'lancedb') {
      const path = target(engine, engine === 'duckdb' ? '.duckdb' : '.lance');
      const args = [join(here, 'peer.mjs'), engine, '--target', path, '--glob', glob, '--threads', String(threads), '--batch-rows', String(batchRows)];
      const r = await measurePeak(process.execPath, args, { timeoutSeconds });
      const entry = {
        what: engine === 'duckdb'
          ? "CREATE TABLE docs AS SELECT * FROM read_parquet(GLOB) + CHECKPOINT, new database file (node child, @duckdb/node-api)"
          : `DuckDB streams the files (2,048-row chunks) into Arrow batches of ${batchRows} rows, LanceDB createEmptyTable + table.add per batch (node child)`,
        process_wall_seconds: round(r.wallSeconds),
        peak_rss_bytes: r.peakRssBytes,
      };
      if (r.status === 0) {
        try {
          const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
          Object.assign(entry, { version: out.version, seconds: round(out.seconds), phases: out.phases, check: out.check });
        } catch (error) {
          entry.error = `unreadable output: ${r.stdout.slice(-500)}`;
        }
      } else {
        entry.error = r.timedOut ? `stopped after ${timeoutSeconds} s` : `${r.signal ? `killed by ${r.signal}` : `status ${r.status}`}: ${r.stderr.trim().split('\n').filter((l) => !/^\s+at /.test(l)).slice(-5).join(' | ')}`;
      }
      finish(engine, path, entry);
    } else {
      const path = target(engine);
      const limit = engine === 'alopex_1gb' ? config.memory_limit : null;
      const statements = [
        ...(limit ? [`SET alopex.import_memory_limit = '${limit}'`] : []),
        `COPY FROM '${glob}' INTO docs`,
        'SELECT count(*) AS n, sum(id) AS sum_id FROM docs',
      ];
      const entry = { what: `${limit ? `SET alopex.import_memory_limit = '${limit}'; ` : ''}COPY FROM 'GLOB' INTO docs, new database directory (alopex DBDIR -f script)` };
      try {
        entry.version = alopexVersion(binary);
        const r = await runAlopexStatements({
          binary,
          threads,
          database: path,
          statements,
          scriptPath: join(dataDir, `${engine}_script.sql`),
          outputPath: join(dataDir, `${engine}_output.txt`),
          timeoutSeconds,
        });
        const copy = r.statements[limit ? 1 : 0];
        Object.assign(entry, {
          seconds: copy ? round(copy.seconds) : null,
          process_wall_seconds: round(r.wallSeconds),
          peak_rss_bytes: r.peakRssBytes,
        });
        if (r.error) entry.error = r.error;
        else entry.check = r.statements.at(-1).rows[0].map(String);
      } catch (error) {
        entry.error = error.message;
      }
      finish(engine, path, entry);
    }
  }
  if (!keep) rmSync(targetDir, { recursive: true, force: true });

  // ---------------------------------------------------------------- table, targets, save
  const duck = result.engines.duckdb;
  const table = [['engine', 'seconds', 'peak RSS GB', 'vs DuckDB', 'process s', 'target GB', 'check']];
  for (const engine of engines) {
    const e = result.engines[engine];
    if (!e) continue;
    if (!e.error && duck?.seconds && e.seconds != null) e.ratio_to_duckdb = round(e.seconds / duck.seconds);
    table.push([
      engine,
      e.seconds != null && !e.error ? e.seconds.toFixed(3) : 'failed',
      gb(e.peak_rss_bytes),
      e.ratio_to_duckdb != null ? `${e.ratio_to_duckdb.toFixed(2)}x` : '-',
      e.process_wall_seconds != null ? e.process_wall_seconds.toFixed(3) : '-',
      e.target_bytes != null ? gb(e.target_bytes) : '-',
      e.error ? 'error' : e.check_ok === undefined ? '-' : e.check_ok ? 'ok' : 'WRONG',
    ]);
  }
  console.log('');
  printAligned(table, [0, 6]);

  const a = result.engines.alopex;
  const a1 = result.engines.alopex_1gb;
  const l = result.engines.lancedb;
  const okSeconds = (e) => e && !e.error && e.seconds != null;
  result.targets = {};
  if (okSeconds(a) && okSeconds(duck)) result.targets.alopex_at_most_half_duckdb = a.seconds <= 0.5 * duck.seconds;
  if (okSeconds(a) && okSeconds(l)) result.targets.alopex_faster_than_lancedb = a.seconds < l.seconds;
  if (a1 && !a1.error && a1.peak_rss_bytes != null) result.targets.alopex_1gb_peak_under_1_2gb = a1.peak_rss_bytes < 1.2e9;
  const t = Object.entries(result.targets);
  if (t.length) console.log(`   targets: ${t.map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`);
  for (const engine of engines) {
    const e = result.engines[engine];
    if (e?.error) console.log(`   ${engine}: ${e.error}`);
  }

  saveResult(name, result);
  if (!ok) process.exit(1);
}

main(process.argv.slice(2)).catch((error) => fail(error.stack || error.message));
