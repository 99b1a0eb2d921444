import { readFile } from 'node:fs/promises';
import { openInstanceFile } from '@dicomnet/dimse';

/** The data set bytes of a Part 10 file: what a transfer must keep identical. */
export async function dataSetBytes(file: string): Promise<Buffer> {
  const opened = await openInstanceFile(file);
  const bytes = await readFile(file);
  return bytes.subarray(bytes.byteLength - opened.size);
}
