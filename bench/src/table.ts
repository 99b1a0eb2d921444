/** Prints a BenchmarkResult as an aligned text table or as a Markdown table for the README. */
import type { BenchmarkResult, Cell, Column } from './benchmark.js';

function format(value: Cell | undefined, column: Column): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const digits = column.digits ?? 0;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function cells(result: BenchmarkResult): string[][] {
  return result.rows.map((row) => result.columns.map((column) => format(row[column.key], column)));
}

/** An aligned plain-text table with the title above and the notes below. */
export function textTable(result: BenchmarkResult): string {
  const headers = result.columns.map((column) => column.header);
  const body = cells(result);
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...body.map((row) => (row[index] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        // Numbers right-aligned, labels left-aligned.
        return /^[\d,.–-]+$/.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    `${result.name}: ${result.title}`,
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...body.map(line),
    ...result.notes.map((note) => `  · ${note}`),
  ].join('\n');
}

/** A GitHub Markdown table (no title or notes). */
export function markdownTable(result: BenchmarkResult): string {
  const headers = result.columns.map((column) => column.header);
  const body = cells(result);
  const line = (row: readonly string[]): string => `| ${row.join(' | ')} |`;
  return [
    line(headers),
    line(
      body[0]?.map((cell) => (/^[\d,.]+$/.test(cell) ? '---:' : '---')) ?? headers.map(() => '---'),
    ),
    ...body.map(line),
  ].join('\n');
}
