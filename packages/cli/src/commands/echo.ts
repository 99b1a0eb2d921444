import { Command } from 'commander';
import { connect } from '@dicomnet/dimse';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { createOutput } from '../output.js';
import type { CommandIo } from '../command-io.js';
import { networkOptions, port, positiveInteger } from './common-options.js';
import type { NetworkOptions } from './common-options.js';

const VERIFICATION = '1.2.840.10008.1.1';
const TRANSFER_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

interface EchoOptions extends NetworkOptions {
  readonly repeat: number;
}

/** `dicomnet echo HOST PORT`: C-ECHO, repeated on one association (PS3.4 Annex A). */
export function echoCommand(io: CommandIo): Command {
  const command = new Command('echo')
    .description(
      'verify a DICOM peer answers (C-ECHO), optionally several times on one association',
    )
    .argument('<host>', 'peer host name or address')
    .argument('<port>', 'peer TCP port', port)
    .option('--repeat <n>', 'echoes to send on the one association', positiveInteger, 1);
  for (const option of networkOptions()) command.addOption(option);
  return command.action(async (host: string, peerPort: number, options: EchoOptions) => {
    const out = createOutput(options.json, io.stdout, io.stderr);
    const started = performance.now();
    const times: number[] = [];
    try {
      const client = await connect({
        host,
        port: peerPort,
        callingAeTitle: options.aet,
        calledAeTitle: options.called,
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: TRANSFER_SYNTAXES }],
        connectTimeout: options.timeout * 1000,
        artimTimeout: options.timeout * 1000,
        dimseTimeout: options.timeout * 1000,
      });
      try {
        for (let i = 0; i < options.repeat; i++) {
          const before = performance.now();
          const result = await client.echo();
          times.push(performance.now() - before);
          out.line(
            `C-ECHO ${i + 1}/${options.repeat}: ${result.meaning} (${times.at(-1)?.toFixed(1)} ms)`,
          );
        }
      } finally {
        await client.release();
      }
      const total = performance.now() - started;
      out.line(
        `${options.repeat} echo(es) to ${options.called} at ${host}:${peerPort} in ${total.toFixed(0)} ms`,
      );
      out.result({
        ok: true,
        host,
        port: peerPort,
        calledAeTitle: options.called,
        echoes: times.length,
        milliseconds: times,
      });
      io.setExitCode(ExitCode.Ok);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      out.warn(`dicomnet echo: ${message}`);
      out.result({
        ok: false,
        error: { code: (error as { code?: string }).code, message },
        echoes: times.length,
      });
      io.setExitCode(exitCodeFor(error));
    }
  });
}
