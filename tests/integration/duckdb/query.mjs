// Runs the SQL statements in the file named by argv[2] on an in-memory DuckDB
// and prints the last statement's rows to stdout, one row a line, each cell
// JSON-encoded (a string, or null) and cells separated by tabs. JSON.stringify
// escapes tabs and newlines, so a cell never contains either. On a DuckDB
// error prints the message to stderr and exits 1.
//
// Run with the working directory tests/peers so that @duckdb/node-api resolves.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Resolve the package from the current directory (tests/peers), not from this
// script's folder.
const require = createRequire(join(process.cwd(), 'package.json'));
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));

const sql = readFileSync(process.argv[2], 'utf8');
try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql);
  const lines = reader.getRowsJson().map((row) =>
    row.map((cell) => JSON.stringify(cell === null || typeof cell === 'string' ? cell : JSON.stringify(cell)))
       .join('\t'));
  process.stdout.write(lines.map((l) => l + '\n').join(''));
} catch (e) {
  process.stderr.write(String(e && e.message ? e.message : e) + '\n');
  process.exit(1);
}
