// Alopex side of a benchmark: one `alopex --format jsonl --threads N :memory:
// -f script.sql` process per benchmark, timed by the shell itself.
//
// The generated script turns `.timer on`, runs the load SQL, then each query
// `warmup + runs` times in a row. With the timer on, the shell prints
// "Run Time: real X s" after every statement, measured around executing it and
// before printing its rows (src/cli/shell.cc). So the last
// (queries x (warmup + runs)) of those lines are the queries' and the ones
// before are the load's. A statement's jsonl rows come just before its Run Time
// line; the last run's rows are kept for the result check.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

import { measurePeak } from './measure.mjs';

const kRunTime = /^Run Time[^:]*: real ([0-9.]+)/;

// Returns the shell's version line, or throws when the binary does not run.
export function alopexVersion(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${binary}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${binary} --version failed: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

// Ends a query's text with exactly one ';'.
function statement(sql) {
  return sql.trim().replace(/;\s*$/, '') + ';';
}

// Runs the load and the timed queries in one process. `scriptPath` and
// `outputPath` are where the generated script and the shell's raw output go
// (kept for inspection). Returns { loadSeconds, queries: [{ name, seconds, rows }] }.
export function runAlopex({ binary, threads, loadSql, queries, warmup, runs, scriptPath, outputPath, timeoutSeconds }) {
  const lines = ['.timer on', loadSql.trim(), ''];
  for (const { name, sql } of queries) {
    lines.push(`-- ${name}: ${warmup} warm-up + ${runs} timed runs`);
    for (let i = 0; i < warmup + runs; i++) lines.push(statement(sql));
  }
  writeFileSync(scriptPath, lines.join('\n') + '\n');

  const args = ['--format', 'jsonl', '--threads', String(threads), ':memory:', '-f', scriptPath];
  const r = spawnSync(binary, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: timeoutSeconds * 1000,
  });
  writeFileSync(outputPath, `$ ${binary} ${args.join(' ')}\n${r.stdout ?? ''}\n--- stderr\n${r.stderr ?? ''}`);
  if (r.error) throw new Error(`${binary} failed: ${r.error.message} (output in ${outputPath})`);
  if (r.status !== 0) {
    const err = (r.stderr || '').trim().split('\n').slice(-5).join('\n');
    throw new Error(`${binary} exited with status ${r.status}: ${err} (output in ${outputPath})`);
  }

  // Split the output into statements: rows, then the Run Time line.
  const statements = [];
  let rows = [];
  for (const line of r.stdout.split('\n')) {
    const m = kRunTime.exec(line);
    if (m) {
      statements.push({ seconds: Number(m[1]), rows });
      rows = [];
    } else if (line.startsWith('{')) {
      try {
        rows.push(Object.values(JSON.parse(line)));
      } catch {
        // not a row: leave it
      }
    }
  }
  const perQuery = warmup + runs;
  const timed = queries.length * perQuery;
  if (statements.length < timed) {
    throw new Error(`expected at least ${timed} "Run Time" lines from ${binary}, found ${statements.length} (output in ${outputPath})`);
  }
  const loadStatements = statements.slice(0, statements.length - timed);
  const queryStatements = statements.slice(statements.length - timed);
  return {
    loadSeconds: loadStatements.reduce((sum, s) => sum + s.seconds, 0),
    queries: queries.map(({ name }, q) => {
      const mine = queryStatements.slice(q * perQuery, (q + 1) * perQuery);
      return { name, seconds: mine.slice(warmup).map((s) => s.seconds), rows: mine.at(-1).rows };
    }),
  };
}

// One Alopex process over a list of statements, for benchmarks of another
// shape than "queries" (bench/delta_insert, bench/import): writes the script
// (`.timer on`, then each statement), runs `alopex --format jsonl --threads T
// DATABASE -f script` under measurePeak (bench/lib/measure.mjs), and pairs the
// i-th "Run Time" line with statements[i]. DATABASE is a database directory or
// ':memory:'. The shell stops at the first failing statement (after printing
// its Run Time line). Resolves to { statements: [{ seconds, rows }] (the ones
// that ran), wallSeconds, peakRssBytes, error (null, or what went wrong with
// the shell's last lines of stderr) }; never rejects for a failing shell.
export async function runAlopexStatements({ binary, threads, database, statements, scriptPath, outputPath, timeoutSeconds, env }) {
  const lines = ['.timer on'];
  for (const sql of statements) lines.push(statement(sql));
  writeFileSync(scriptPath, lines.join('\n') + '\n');

  const args = ['--format', 'jsonl', '--threads', String(threads), database, '-f', scriptPath];
  const r = await measurePeak(binary, args, { timeoutSeconds, env });
  writeFileSync(outputPath, `$ ${binary} ${args.join(' ')}\n${r.stdout}\n--- stderr\n${r.stderr}`);

  const done = [];
  let rows = [];
  for (const line of r.stdout.split('\n')) {
    const m = kRunTime.exec(line);
    if (m) {
      done.push({ seconds: Number(m[1]), rows });
      rows = [];
    } else if (line.startsWith('{')) {
      try {
        rows.push(Object.values(JSON.parse(line)));
      } catch {
        // not a row: leave it
      }
    }
  }
  let error = null;
  const tail = (r.stderr || '').trim().split('\n').slice(-5).join('\n');
  if (r.timedOut) error = `stopped after ${timeoutSeconds} s (BENCH_TIMEOUT)`;
  else if (r.signal) error = `killed by ${r.signal}${r.signal === 'SIGKILL' ? ' (out of memory?)' : ''}${tail ? `: ${tail}` : ''}`;
  else if (r.status !== 0) error = `exited with status ${r.status}: ${tail}`;
  else if (done.length !== statements.length) error = `expected ${statements.length} "Run Time" lines, found ${done.length}`;
  if (error) {
    // A failing statement prints its Run Time line; a killed process does not.
    const failed = r.timedOut || r.signal ? done.length : Math.max(done.length - 1, 0);
    if (failed < statements.length) {
      error += ` [statement ${failed + 1} of ${statements.length}: ${statements[failed].trim().split('\n')[0].slice(0, 120)}]`;
    }
    error += ` (output in ${outputPath})`;
  }
  return { statements: done, wallSeconds: r.wallSeconds, peakRssBytes: r.peakRssBytes, error };
}
