// Helpers shared by the benchmark drivers: bench.mjs (the "queries" shape) and
// the drivers of benchmarks with another shape (bench/delta_insert/run.mjs,
// bench/import/run.mjs).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x) {
  return Math.round(x * 1e4) / 1e4;
}

// ${NAME} placeholders in a benchmark's SQL files.
export function substitute(sql, vars) {
  return sql.replace(/\$\{([A-Z_]+)\}/g, (all, name) => (name in vars ? String(vars[name]) : all));
}

export function gitDescribe() {
  try {
    return execFileSync('git', ['-C', repo, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

// The machine, with its load average when called (1, 5, 15 minutes).
export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

// A benchmark's result record: its name and title, `fields`, then when, where
// and at which commit it ran; the driver adds the engines' figures.
export function newResult(name, title, fields) {
  return { benchmark: name, title, ...fields, date: new Date().toISOString(), machine: machine(), commit: gitDescribe() };
}

// Writes `result` to bench/results/<name>.json with the load average at the
// end of the run, and says where.
export function saveResult(name, result) {
  result.load_average_end = machine().load_average;
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  const file = join(repo, 'bench', 'results', `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`   results: ${relative(repo, file)}`);
}

// ---------------------------------------------------------------- result check

// A cell as compared: numbers (and numeric strings, as DuckDB gives BIGINT and
// DECIMAL) become numbers, everything else its JSON text.
export function cell(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v)) return Number(v);
  return JSON.stringify(v);
}

export function sameCell(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
  }
  return a === b;
}

// Order-insensitive comparison of two row sets; floating-point cells may differ
// in the last digits (sums in another order). Returns 'ok' or what differs.
export function compareRows(got, want, wantName = 'DuckDB') {
  if (got.length !== want.length) return `${got.length} rows, ${wantName} ${want.length}`;
  const key = (row) => row.map((c) => (typeof c === 'number' ? c.toPrecision(6) : c)).join('\u001f');
  const norm = (rows) => rows.map((r) => r.map(cell)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const g = norm(got);
  const w = norm(want);
  for (let i = 0; i < g.length; i++) {
    if (g[i].length !== w[i].length) return `${g[i].length} columns, ${wantName} ${w[i].length}`;
    for (let j = 0; j < g[i].length; j++) {
      if (!sameCell(g[i][j], w[i][j])) return `row ${JSON.stringify(g[i])} vs ${wantName} ${JSON.stringify(w[i])}`;
    }
  }
  return 'ok';
}

// Prints rows of cells (the first row is the header) as aligned columns; the
// columns named in `left` are left-aligned, the others right-aligned.
export function printAligned(rows, left = [0]) {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => String(r[j]).length)));
  for (const r of rows) {
    console.log('   ' + r.map((c, j) => (left.includes(j) ? String(c).padEnd(widths[j]) : String(c).padStart(widths[j]))).join('  ').trimEnd());
  }
}
