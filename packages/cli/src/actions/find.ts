import type { DataSet, DataElementValue, PersonName } from '@dicomnet/data';
import { tagNumber, toDicomJson } from '@dicomnet/data';
import { connect, DimseStatusError } from '@dicomnet/dimse';
import { formatStatus } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import { keyName } from '../commands/query-keys.js';
import type { QueryCommandOptions } from '../commands/query-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { identifierOf, sopClassOf } from './identifier.js';
import { peerOptions, reportedError } from './peer-options.js';

const TRANSFER_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

/** Runs `dicomnet find`: one C-FIND, each match printed as it arrives (PS3.4 C.4.1). */
export async function runFind(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: QueryCommandOptions,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const sopClassUid = sopClassOf(options, 'find');
  const identifier = identifierOf(options);
  const matches: DataSet[] = [];
  try {
    const client = await connect({
      ...(await peerOptions(host, peerPort, options)),
      contexts: [{ abstractSyntax: sopClassUid, transferSyntaxes: TRANSFER_SYNTAXES }],
      signal: io.interrupted,
    });
    let result;
    try {
      // Ctrl-C aborts io.interrupted: C-CANCEL-RQ, and the peer's final response (Cancel, or
      // Success if it had finished) ends the C-FIND (PS3.4 C.4.1.3.2).
      const responses = client.find({ sopClassUid, identifier }, { cancel: io.interrupted });
      for (;;) {
        const next = await responses.next();
        if (next.done === true) {
          result = next.value;
          break;
        }
        matches.push(next.value);
        out.line(describeMatch(next.value));
      }
    } finally {
      await client.release().catch(() => client.abort());
    }
    out.line(`${matches.length} match(es): ${result.meaning}`);
    if (io.interrupted.aborted) out.line('interrupted, but the peer had already finished');
    out.result({
      ok: true,
      status: result.status,
      meaning: result.meaning,
      count: matches.length,
      matches: matches.map(toDicomJson),
    });
    io.setExitCode(ExitCode.Ok);
  } catch (caught) {
    const error = await reportedError(caught, host, peerPort, options);
    const cancelled = error instanceof DimseStatusError && error.category === 'Cancel';
    const message = cancelled
      ? `cancelled at the peer, status ${formatStatus(error.status)}, after ${matches.length} match(es)`
      : io.interrupted.aborted && error === io.interrupted.reason
        ? 'interrupted before the association was established'
        : error instanceof Error
          ? error.message
          : String(error);
    out.warn(`dicomnet find: ${message}`);
    out.result({
      ok: false,
      error: { code: (error as { code?: string }).code, message },
      count: matches.length,
      matches: matches.map(toDicomJson),
    });
    io.setExitCode(exitCodeFor(error));
  }
}

/** `Keyword=value  Keyword=value …` of the attributes a match returned, level left out. */
function describeMatch(match: DataSet): string {
  return Object.entries(match)
    .filter(([key]) => key !== '00080052')
    .map(([key, element]) => {
      const values = element.Value ?? [];
      const shown =
        element.vr === 'SQ' ? `[${values.length} item(s)]` : values.map(text).join('\\');
      return `${keyName(tagNumber(key))}=${shown}`;
    })
    .join('  ');
}

function text(value: DataElementValue): string {
  if (typeof value === 'object') {
    const name = value as PersonName;
    return name.Alphabetic ?? name.Ideographic ?? name.Phonetic ?? '';
  }
  return String(value);
}
