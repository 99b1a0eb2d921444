import type { CommandSpec } from '../command-line/command-spec.js';
import { loadImport } from '../command-actions.js';
import { positiveInteger } from './common-options.js';

/** The options of `dicomnet import`. */
export interface ImportCommandOptions {
  readonly storage: string;
  readonly concurrency: number;
  readonly fsync: boolean;
  readonly json: boolean;
}

/** `dicomnet import DIR --storage DIR`: index an existing folder of DICOM files into a repository. */
export const importCommand: CommandSpec = {
  name: 'import',
  description:
    'copy an existing folder of DICOM files (searched recursively) into a repository and its index; run it again to resume',
  arguments: [{ name: 'folder', description: 'the folder of DICOM files to import' }],
  options: [
    {
      flags: '--storage <dir>',
      description: 'the repository (as `dicomnet serve --storage`); created if missing',
      required: true,
    },
    {
      flags: '--concurrency <n>',
      description: 'files read and stored at once',
      default: 4,
      parse: positiveInteger,
    },
    {
      flags: '--no-fsync',
      description:
        'do not fsync each stored file: faster, and still atomic, but a power failure may lose the last ones',
    },
    { flags: '--json', description: 'print one JSON document with the totals and skipped files' },
  ],
  async run(io, [folder], options) {
    const { runImport } = await loadImport();
    // The casts are safe: the parsers above produce exactly these types.
    await runImport(io, folder as string, options as unknown as ImportCommandOptions);
  },
};
