// Test instances: Part 10 files made by DCMTK (generateInstances) and store requests from them.
import { readFile } from 'node:fs/promises';
import { readPart10Header } from '@dicomnet/data';
import {
  generateInstances,
  type GeneratedInstance,
  type TestTransferSyntax,
} from '@dicomnet/test-utils';
import type { StoreRequest } from '../src/repository.js';

/** A generated instance with its data set bytes (what a C-STORE carries). */
export interface TestInstance extends GeneratedInstance {
  readonly dataSetBytes: Uint8Array;
}

/** Makes `count` instances in `dir` and reads each one's data set bytes. */
export async function makeInstances(
  dir: string,
  count: number,
  transferSyntax: TestTransferSyntax = 'explicit-vr-little-endian',
  pixelBytes = 2048,
): Promise<TestInstance[]> {
  const generated = await generateInstances(dir, { count, transferSyntax, pixelBytes });
  return Promise.all(
    generated.map(async (instance) => {
      const bytes = await readFile(instance.path);
      const header = readPart10Header(bytes);
      return { ...instance, dataSetBytes: bytes.subarray(header.dataSetOffset) };
    }),
  );
}

/** The data set in chunks of `chunkBytes`, as a stream of PDV fragments would bring it. */
export async function* chunked(bytes: Uint8Array, chunkBytes = 1000): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    await Promise.resolve();
    yield bytes.subarray(offset, offset + chunkBytes);
  }
}

/** The store request of a test instance. */
export function storeRequestOf(instance: TestInstance, sourceAeTitle?: string): StoreRequest {
  return {
    dataSet: chunked(instance.dataSetBytes),
    sopClassUid: instance.sopClassUid,
    sopInstanceUid: instance.sopInstanceUid,
    transferSyntaxUid: instance.transferSyntaxUid,
    ...(sourceAeTitle === undefined ? {} : { sourceAeTitle }),
  };
}

/** Reads a stream to its end. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
