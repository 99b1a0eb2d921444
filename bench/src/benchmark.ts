/** What every benchmark is and returns: a named run that yields one table of figures. */

/** One table cell: a figure (kept as a number in the JSON) or a label. */
export type Cell = string | number;

/** One column of a result table. */
export interface Column {
  /** Key of the value in each row. */
  readonly key: string;
  /** Header printed above the column. */
  readonly header: string;
  /** Digits after the decimal point for numbers. Default 0. */
  readonly digits?: number;
}

/** The figures of one benchmark, as printed and as written to `results/<suite>.json`. */
export interface BenchmarkResult {
  /** The benchmark's name, e.g. `pdu-codec`. */
  readonly name: string;
  /** One line saying what was measured. */
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
  /** Remarks printed under the table (conditions, caveats). */
  readonly notes: readonly string[];
  /** How long the benchmark ran, in seconds. */
  readonly seconds: number;
}

/** Settings shared by all benchmarks. */
export interface BenchmarkOptions {
  /** Fewer and shorter rounds: a smoke run whose figures are not for publishing. */
  readonly quick: boolean;
  /** Also the larger sizes a benchmark has beyond its usual ones (`--large`), where it has any. */
  readonly large?: boolean;
}

/** A benchmark the runner can select by name or by suite. */
export interface Benchmark {
  /** Unique name, the file's stem: `pdu-codec` for `pdu-codec.bench.ts`. */
  readonly name: string;
  /** The package it measures; also the name of its results file (`results/pdu.json`). */
  readonly suite: string;
  run(options: BenchmarkOptions): Promise<BenchmarkResult>;
}
