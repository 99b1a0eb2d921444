import type { AcceptorPolicy, AssociateAc, AssociateRq } from '@dicomnet/pdu';
import { buildAssociateRq, decideAssociation } from '@dicomnet/pdu';

/** Explicit VR Little Endian, Implicit VR Little Endian, JPEG Lossless SV1 (PS3.6 Annex A). */
const TRANSFER_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2', '1.2.840.10008.1.2.4.70'];

/** Twenty SOP classes a modality or a PACS router typically proposes at once (PS3.4 B.5). */
const ABSTRACT_SYNTAXES = [
  '1.2.840.10008.1.1', // Verification
  '1.2.840.10008.5.1.4.1.1.2', // CT Image Storage
  '1.2.840.10008.5.1.4.1.1.2.1', // Enhanced CT Image Storage
  '1.2.840.10008.5.1.4.1.1.4', // MR Image Storage
  '1.2.840.10008.5.1.4.1.1.4.1', // Enhanced MR Image Storage
  '1.2.840.10008.5.1.4.1.1.1', // Computed Radiography Image Storage
  '1.2.840.10008.5.1.4.1.1.1.1', // Digital X-Ray Image Storage - For Presentation
  '1.2.840.10008.5.1.4.1.1.1.2', // Digital Mammography X-Ray Image Storage - For Presentation
  '1.2.840.10008.5.1.4.1.1.6.1', // Ultrasound Image Storage
  '1.2.840.10008.5.1.4.1.1.3.1', // Ultrasound Multi-frame Image Storage
  '1.2.840.10008.5.1.4.1.1.7', // Secondary Capture Image Storage
  '1.2.840.10008.5.1.4.1.1.20', // Nuclear Medicine Image Storage
  '1.2.840.10008.5.1.4.1.1.128', // Positron Emission Tomography Image Storage
  '1.2.840.10008.5.1.4.1.1.12.1', // X-Ray Angiographic Image Storage
  '1.2.840.10008.5.1.4.1.1.12.2', // X-Ray Radiofluoroscopic Image Storage
  '1.2.840.10008.5.1.4.1.1.481.1', // RT Image Storage
  '1.2.840.10008.5.1.4.1.1.481.2', // RT Dose Storage
  '1.2.840.10008.5.1.4.1.1.481.3', // RT Structure Set Storage
  '1.2.840.10008.5.1.4.1.1.481.5', // RT Plan Storage
  '1.2.840.10008.5.1.4.1.1.104.1', // Encapsulated PDF Storage
];

/** An A-ASSOCIATE-RQ with 20 presentation contexts of 3 transfer syntaxes each. */
export function realisticAssociateRq(): AssociateRq {
  return buildAssociateRq({
    callingAeTitle: 'MODALITY01',
    calledAeTitle: 'PACS_ARCHIVE',
    contexts: ABSTRACT_SYNTAXES.map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: TRANSFER_SYNTAXES,
    })),
    maxPduLength: 16384,
  });
}

/** An acceptor that takes every context of {@link realisticAssociateRq} (explicit or implicit LE). */
const POLICY: AcceptorPolicy = {
  calledAeTitles: ['PACS_ARCHIVE'],
  contexts: ABSTRACT_SYNTAXES.map((abstractSyntax) => ({
    abstractSyntax,
    transferSyntaxes: TRANSFER_SYNTAXES.slice(0, 2),
  })),
  maxPduLength: 16384,
};

/** The A-ASSOCIATE-AC our acceptor policy answers to `rq` with. */
export async function realisticAssociateAc(rq: AssociateRq): Promise<AssociateAc> {
  const decision = await decideAssociation(rq, POLICY);
  if (decision.kind !== 'accept') throw new TypeError('the benchmark policy rejected its own RQ');
  return decision.pdu;
}
