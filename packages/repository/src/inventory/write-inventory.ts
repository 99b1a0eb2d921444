// Writing one Inventory instance's Part 10 file into the repository's tree. Inventory instances are
// few and can be large (thousands of study records each, PS3.3 C.38.1.1.5), so each one takes the
// streamed path whatever its size: written to the staging folder with the atomic writer as its
// bytes arrive, its keys read back with the streaming element reader (or taken from its writer,
// see keysAsRead), then renamed to its hashed path (the path of any instance: storedPathOf, which
// no peer-supplied value can escape).
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  dataSetTokens,
  encodeFileMetaInformation,
  openPart10FileWriter,
  parsePart10Header,
  readAttributesSync,
  readPart10Attributes,
  writeElementsSync,
  type DataElement,
  type DataSet,
  type FileMetaInformationInput,
  type Part10Attributes,
} from '@dicomnet/data';
import { InvalidInstanceError } from '../errors.js';
import { syncFolder, type ReadyFolder } from '../file-support.js';
import { absoluteStoredPath } from '../storage-path.js';
import {
  INVENTORY_TAGS,
  InventoryTag,
  inventoryRecordOf,
  type InventoryRecord,
} from './inventory-record.js';

/** Where and how {@link writeInventoryFile} writes. */
export interface InventoryWriteContext {
  readonly instancesRoot: string;
  /** The staging folder (cleared by the recovery pass at open). */
  readonly incoming: string;
  readonly fsync: boolean;
  /** Makes (once) the folder of a stored path; durable when `durable` resolves. */
  readonly ensureFolder: (folder: string) => Promise<ReadyFolder>;
}

/**
 * Writes the file, checks it is the Inventory instance `meta` names (PS3.4 B.2.3 via
 * {@link inventoryRecordOf}) and moves it to `storedPath`. Nothing stays behind on failure.
 * @param keys - The data set's keys as its writer made them (StoreOptions.inventoryKeys): then
 *   the file is not read back.
 * @returns Its index record.
 */
export async function writeInventoryFile(
  context: InventoryWriteContext,
  meta: FileMetaInformationInput,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  storedPath: string,
  sourceAeTitle: string | undefined,
  signal: AbortSignal | undefined,
  keys?: DataSet,
): Promise<InventoryRecord> {
  const staged = path.join(context.incoming, `${randomBytes(12).toString('hex')}.dcm`);
  const final = absoluteStoredPath(context.instancesRoot, storedPath);
  const writer = await openPart10FileWriter(staged, meta, {
    fsync: context.fsync,
    ...(signal === undefined ? {} : { signal }),
  });
  let record: InventoryRecord;
  try {
    try {
      for await (const chunk of chunks) await writer.write(chunk);
      await writer.commit();
    } catch (error) {
      await writer.abort(error);
      throw error;
    }
    const attributes = await (
      keys === undefined
        ? readPart10Attributes(staged, INVENTORY_TAGS, {
            ...(signal === undefined ? {} : { signal }),
          })
        : Promise.resolve().then(() => keysAsRead(keys, meta))
    ).catch((error: unknown) => {
      throw new InvalidInstanceError('unreadable', 'the data set cannot be read', {
        cause: error,
      });
    });
    const stats = await stat(staged);
    record = inventoryRecordOf(attributes, {
      sizeBytes: stats.size,
      storedPath,
      fileMtimeMs: Math.trunc(stats.mtimeMs),
      sourceAeTitle,
    });
    await (
      await context.ensureFolder(path.dirname(final))
    ).durable;
    signal?.throwIfAborted();
    await rename(staged, final);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
  if (context.fsync) await syncFolder(path.dirname(final));
  return record;
}

/**
 * What {@link readPart10Attributes} would return for {@link INVENTORY_TAGS} from the file of
 * `meta` whose data set holds `keys`: the keys encoded in the file's transfer syntax and read back
 * with the same reader, so that the index holds the same values either way (text decoded in the
 * keys' Specific Character Set, numbers and sequences as the reader gives them). A few hundred
 * bytes instead of the whole file.
 * @throws What encoding or reading them throws (keys that are not a valid data set).
 */
function keysAsRead(keys: DataSet, meta: FileMetaInformationInput): Part10Attributes {
  const wanted: Record<string, DataElement> = {};
  for (const key of Object.values(InventoryTag)) {
    const element = keys[key];
    if (element !== undefined) wanted[key] = element;
  }
  const { transferSyntaxUid } = meta;
  const encoded = Buffer.concat([
    ...writeElementsSync(dataSetTokens(wanted, false), { transferSyntaxUid }),
  ]);
  const parsed = parsePart10Header(encodeFileMetaInformation(meta), true);
  if (!('header' in parsed)) throw new RangeError('the File Meta Information is incomplete');
  return {
    meta: parsed.header.meta,
    dataSetOffset: parsed.header.dataSetOffset,
    attributes: readAttributesSync(encoded, INVENTORY_TAGS, { transferSyntaxUid }),
    bytesRead: 0,
  };
}
