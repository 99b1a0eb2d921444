import { describe, expect, it } from 'vitest';
import {
  COMMAND_DATA_SET_ABSENT,
  CommandField,
  dimseKindOf,
  encodeCommandSet,
} from '../command/index.js';
import { IMPLICIT, VERIFICATION, weAccept } from '../../test/helpers/raw-peer.js';

const setup = {
  supported: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
  proposed: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
};

/** Every request Command Field below 0x0300, and every 97th above: none in Table E.1-1. */
function unknownCommandFields(): number[] {
  const fields: number[] = [];
  for (let field = 0; field < 0x8000; field += field < 0x300 ? 1 : 97) {
    if (dimseKindOf(field) === undefined) fields.push(field);
  }
  return fields;
}

describe('an unknown Command Field', () => {
  // PS3.7 C.5.23: Unrecognized Operation. 0212H Mistyped argument (C.5.15) is about the
  // parameters of an operation that is known.
  it('in a request, with or without a data set, is answered 0x0211 Unrecognized Operation', async () => {
    const { ours, peer } = await weAccept(setup);
    const fields = unknownCommandFields();
    expect(fields.length).toBeGreaterThan(500);
    let messageId = 1;
    for (const commandField of fields) {
      for (const commandDataSetType of [COMMAND_DATA_SET_ABSENT, 0x0102]) {
        await peer.send(
          encodeCommandSet({
            commandField,
            messageId,
            affectedSopClassUid: VERIFICATION,
            commandDataSetType,
            otherElements: [],
          }),
          commandDataSetType === COMMAND_DATA_SET_ABSENT ? undefined : new Uint8Array(4),
        );
        const answer = await peer.next();
        expect(answer.fields).toMatchObject({
          commandField: commandField | 0x8000,
          messageIdBeingRespondedTo: messageId,
          status: 0x0211,
        });
        messageId++;
      }
    }
    await ours.abort();
  });

  it('a malformed C-CANCEL-RQ is not answered: C-CANCEL has no response (PS3.7 §9.3.2.3)', async () => {
    const { ours, peer } = await weAccept(setup);
    // No Message ID Being Responded To: mistyped, but there is no C-CANCEL-RSP to say so with.
    await peer.send(
      encodeCommandSet({
        commandField: CommandField.CCancelRq,
        messageId: 3,
        commandDataSetType: COMMAND_DATA_SET_ABSENT,
        otherElements: [],
      }),
    );
    await peer.send(
      encodeCommandSet({
        commandField: CommandField.CEchoRq,
        messageId: 4,
        affectedSopClassUid: VERIFICATION,
        commandDataSetType: COMMAND_DATA_SET_ABSENT,
        otherElements: [],
      }),
    );
    expect((await peer.next()).fields).toMatchObject({
      commandField: 0x8030,
      messageIdBeingRespondedTo: 4,
    });
    expect(peer.pending).toBe(0);
    await ours.abort();
  });
});
