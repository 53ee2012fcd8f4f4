// One peer's import, in a node process of its own so that bench/import/run.mjs
// can measure its peak memory (RSS) alone. Prints one JSON line on stdout.
//
//   node bench/import/peer.mjs duckdb  --target FILE.duckdb --glob 'DIR/*.parquet' --threads N
//   node bench/import/peer.mjs lancedb --target DIR.lance  --glob 'DIR/*.parquet' --threads N --batch-rows N
//
// duckdb: a new persistent database file; `CREATE TABLE docs AS SELECT * FROM
// read_parquet(GLOB)` then CHECKPOINT, both timed (seconds = their sum).
//
// lancedb: @lancedb/lancedb has no Parquet reader in node, and its Table.add
// takes an Arrow table (or rows) per call, so the files are read by DuckDB
// (in this process, `threads` threads) as a stream of 2,048-row chunks
// (connection.stream + fetchChunk: nothing is materialized beyond the chunk),
// copied column by column into Arrow arrays (typed-array copies; strings are
// re-encoded; the embedding becomes FixedSizeList<Float32>[768], the natural
// LanceDB vector column), and every `batch-rows` rows are one table.add() into
// a table made with createEmptyTable. One add is in flight while the next
// batch is read. seconds: from before the first read to the last add's end.
//
// Both report a check (row count and sum of id) read back after the timed part.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const peers = createRequire(new URL('../peers/package.json', import.meta.url));
const load = async (name) => import(pathToFileURL(peers.resolve(name)).href);

function parseArgs(argv) {
  const [engine, ...rest] = argv;
  const o = { engine };
  for (let i = 0; i < rest.length; i += 2) o[rest[i].replace(/^--/, '')] = rest[i + 1];
  return o;
}

const seconds = (start) => (performance.now() - start) / 1000;

async function duckdbImport({ target, glob, threads }) {
  const { DuckDBInstance } = await load('@duckdb/node-api');
  const instance = await DuckDBInstance.create(target, { threads: String(threads) });
  const con = await instance.connect();
  const version = (await con.runAndReadAll('SELECT version()')).getRows()[0][0];
  let start = performance.now();
  await con.run(`CREATE TABLE docs AS SELECT * FROM read_parquet('${glob}')`);
  const ctas = seconds(start);
  start = performance.now();
  await con.run('CHECKPOINT');
  const checkpoint = seconds(start);
  const check = (await con.runAndReadAll('SELECT count(*) AS n, sum(id) AS sum_id FROM docs')).getRowsJson()[0];
  con.closeSync();
  instance.closeSync();
  return { version, seconds: ctas + checkpoint, phases: { create_table_as: ctas, checkpoint }, check };
}

async function lancedbImport({ target, glob, threads, 'batch-rows': batchRowsArg }) {
  const batchRows = Number(batchRowsArg || 100000);
  const { DuckDBInstance } = await load('@duckdb/node-api');
  const arrow = await load('apache-arrow');
  const lancedb = await load('@lancedb/lancedb');
  // Its package.json is not exported; it sits above dist/index.js.
  const lanceVersion = JSON.parse(readFileSync(join(dirname(peers.resolve('@lancedb/lancedb')), '..', 'package.json'), 'utf8')).version;
  const dim = 768;

  const schema = new arrow.Schema([
    new arrow.Field('id', new arrow.Int64(), true),
    new arrow.Field('title', new arrow.Utf8(), true),
    new arrow.Field('content', new arrow.Utf8(), true),
    new arrow.Field('category', new arrow.Utf8(), true),
    new arrow.Field('created_at', new arrow.TimestampMicrosecond(), true),
    new arrow.Field('embedding', new arrow.FixedSizeList(dim, new arrow.Field('item', new arrow.Float32(), true)), true),
  ]);

  const start = performance.now();
  const db = await lancedb.connect(target);
  const table = await db.createEmptyTable('docs', schema);

  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await instance.connect();
  const result = await con.stream(
    `SELECT id, title, content, category, created_at, CAST(embedding AS FLOAT[${dim}]) AS embedding FROM read_parquet('${glob}')`,
  );

  // The batch being filled.
  let n = 0;
  let ids = new BigInt64Array(batchRows);
  let times = new BigInt64Array(batchRows);
  let floats = new Float32Array(batchRows * dim);
  let strings = [[], [], []];

  const utf8 = (list) => {
    const offsets = new Int32Array(list.length + 1);
    for (let i = 0; i < list.length; i++) offsets[i + 1] = offsets[i] + Buffer.byteLength(list[i], 'utf8');
    const data = Buffer.from(list.join(''), 'utf8');
    return arrow.makeData({ type: new arrow.Utf8(), length: list.length, nullCount: 0, valueOffsets: offsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  };
  const makeTable = () => {
    const children = [
      arrow.makeData({ type: new arrow.Int64(), length: n, nullCount: 0, data: ids.subarray(0, n) }),
      utf8(strings[0]),
      utf8(strings[1]),
      utf8(strings[2]),
      arrow.makeData({ type: new arrow.TimestampMicrosecond(), length: n, nullCount: 0, data: times.subarray(0, n) }),
      arrow.makeData({
        type: schema.fields[5].type,
        length: n,
        nullCount: 0,
        child: arrow.makeData({ type: new arrow.Float32(), length: n * dim, nullCount: 0, data: floats.subarray(0, n * dim) }),
      }),
    ];
    const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children });
    return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
  };

  let pending = null;  // the add in flight
  let adds = 0;
  let addSeconds = 0;
  let rows = 0;
  const flush = async () => {
    if (n === 0) return;
    const t = makeTable();
    if (pending) await pending;
    const addStart = performance.now();
    pending = table.add(t).then(() => {
      addSeconds += seconds(addStart);
    });
    adds++;
    rows += n;
    n = 0;
    ids = new BigInt64Array(batchRows);
    times = new BigInt64Array(batchRows);
    floats = new Float32Array(batchRows * dim);
    strings = [[], [], []];
  };

  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    const cols = [0, 1, 2, 3, 4, 5].map((c) => chunk.getColumnVector(c));
    for (let c = 0; c < 6; c++) {
      for (let i = 0; i < count; i++) if (!cols[c].validity.itemValid(i)) throw new Error(`NULL in column ${c}: not expected in the generated data`);
    }
    let from = 0;
    while (from < count) {
      const take = Math.min(count - from, batchRows - n);
      ids.set(cols[0].items.subarray(from, from + take), n);
      times.set(cols[4].items.subarray(from, from + take), n);
      floats.set(cols[5].childData.items.subarray(from * dim, (from + take) * dim), n * dim);
      for (let s = 0; s < 3; s++) for (let i = from; i < from + take; i++) strings[s].push(cols[s + 1].getItem(i));
      n += take;
      from += take;
      if (n === batchRows) await flush();
    }
  }
  await flush();
  if (pending) await pending;
  const total = seconds(start);
  con.closeSync();
  instance.closeSync();

  const reopened = await (await lancedb.connect(target)).openTable('docs');
  const counted = await reopened.countRows();
  let sumId = 0n;
  for await (const batch of reopened.query().select(['id'])) {
    const col = batch.getChild('id');
    for (let i = 0; i < col.length; i++) sumId += BigInt(col.get(i));
  }
  return {
    version: `@lancedb/lancedb ${lanceVersion}`,
    seconds: total,
    phases: { add_calls: adds, add_seconds_total: addSeconds, rows_streamed: rows },
    check: [String(counted), String(sumId)],
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let out;
  if (o.engine === 'duckdb') out = await duckdbImport(o);
  else if (o.engine === 'lancedb') out = await lancedbImport(o);
  else throw new Error(`unknown engine ${o.engine} (duckdb or lancedb)`);
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error) => {
  console.error(error.stack || error.message);
  process.exit(1);
});
