/**
 * Transfer syntax UIDs (PS3.5 §10 and Annex A; registry PS3.6 Annex A) and what each one means
 * for encoding the data set: VR form, byte order, whole-data-set Deflate, encapsulated pixel data.
 */
export const TransferSyntax = {
  /** Implicit VR Little Endian: the default every AE supports (PS3.5 A.1). */
  ImplicitVrLittleEndian: '1.2.840.10008.1.2',
  /** Explicit VR Little Endian (PS3.5 A.2). */
  ExplicitVrLittleEndian: '1.2.840.10008.1.2.1',
  /** Encapsulated Uncompressed Explicit VR Little Endian (PS3.5 A.4). */
  EncapsulatedUncompressedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.98',
  /** Deflated Explicit VR Little Endian: the whole data set is raw DEFLATE (PS3.5 A.5). */
  DeflatedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.99',
  /** Explicit VR Big Endian, retired but still met on old peers (PS3.5 A.3). */
  ExplicitVrBigEndian: '1.2.840.10008.1.2.2',
  /** JPEG Baseline (Process 1) (PS3.5 A.4). */
  JpegBaseline: '1.2.840.10008.1.2.4.50',
  /** JPEG Extended (Process 2 & 4) (PS3.5 A.4). */
  JpegExtended: '1.2.840.10008.1.2.4.51',
  /** JPEG Lossless, Non-Hierarchical (Process 14) (PS3.5 A.4). */
  JpegLossless: '1.2.840.10008.1.2.4.57',
  /** JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1]) (PS3.5 A.4). */
  JpegLosslessSv1: '1.2.840.10008.1.2.4.70',
  /** JPEG-LS Lossless (PS3.5 A.4). */
  JpegLsLossless: '1.2.840.10008.1.2.4.80',
  /** JPEG-LS Lossy (Near-Lossless) (PS3.5 A.4). */
  JpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  /** JPEG 2000 (Lossless Only) (PS3.5 A.4). */
  Jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  /** JPEG 2000 (PS3.5 A.4). */
  Jpeg2000: '1.2.840.10008.1.2.4.91',
  /** JPEG 2000 Part 2 Multi-component (Lossless Only) (PS3.5 A.4). */
  Jpeg2000Part2MulticomponentLossless: '1.2.840.10008.1.2.4.92',
  /** JPEG 2000 Part 2 Multi-component (PS3.5 A.4). */
  Jpeg2000Part2Multicomponent: '1.2.840.10008.1.2.4.93',
  /** JPIP Referenced: pixel data by reference, data set Explicit VR LE (PS3.5 Annex A). */
  JpipReferenced: '1.2.840.10008.1.2.4.94',
  /** JPIP Referenced Deflate: as JPIP Referenced, data set deflated (PS3.5 Annex A). */
  JpipReferencedDeflate: '1.2.840.10008.1.2.4.95',
  /** MPEG2 Main Profile / Main Level (PS3.5 A.4). */
  Mpeg2MainProfileMainLevel: '1.2.840.10008.1.2.4.100',
  /** Fragmentable MPEG2 Main Profile / Main Level (PS3.5 A.4). */
  FragmentableMpeg2MainProfileMainLevel: '1.2.840.10008.1.2.4.100.1',
  /** MPEG2 Main Profile / High Level (PS3.5 A.4). */
  Mpeg2MainProfileHighLevel: '1.2.840.10008.1.2.4.101',
  /** Fragmentable MPEG2 Main Profile / High Level (PS3.5 A.4). */
  FragmentableMpeg2MainProfileHighLevel: '1.2.840.10008.1.2.4.101.1',
  /** MPEG-4 AVC/H.264 High Profile / Level 4.1 (PS3.5 A.4). */
  Mpeg4HighProfileLevel41: '1.2.840.10008.1.2.4.102',
  /** Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1 (PS3.5 A.4). */
  FragmentableMpeg4HighProfileLevel41: '1.2.840.10008.1.2.4.102.1',
  /** MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1 (PS3.5 A.4). */
  Mpeg4BdCompatibleHighProfileLevel41: '1.2.840.10008.1.2.4.103',
  /** Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1 (PS3.5 A.4). */
  FragmentableMpeg4BdCompatibleHighProfileLevel41: '1.2.840.10008.1.2.4.103.1',
  /** MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video (PS3.5 A.4). */
  Mpeg4HighProfileLevel42For2dVideo: '1.2.840.10008.1.2.4.104',
  /** Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video (PS3.5 A.4). */
  FragmentableMpeg4HighProfileLevel42For2dVideo: '1.2.840.10008.1.2.4.104.1',
  /** MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video (PS3.5 A.4). */
  Mpeg4HighProfileLevel42For3dVideo: '1.2.840.10008.1.2.4.105',
  /** Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video (PS3.5 A.4). */
  FragmentableMpeg4HighProfileLevel42For3dVideo: '1.2.840.10008.1.2.4.105.1',
  /** MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2 (PS3.5 A.4). */
  Mpeg4StereoHighProfileLevel42: '1.2.840.10008.1.2.4.106',
  /** Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2 (PS3.5 A.4). */
  FragmentableMpeg4StereoHighProfileLevel42: '1.2.840.10008.1.2.4.106.1',
  /** HEVC/H.265 Main Profile / Level 5.1 (PS3.5 A.4). */
  HevcMainProfileLevel51: '1.2.840.10008.1.2.4.107',
  /** HEVC/H.265 Main 10 Profile / Level 5.1 (PS3.5 A.4). */
  HevcMain10ProfileLevel51: '1.2.840.10008.1.2.4.108',
  /** JPEG XL Lossless (PS3.5 A.4). */
  JpegXlLossless: '1.2.840.10008.1.2.4.110',
  /** JPEG XL JPEG Recompression (PS3.5 A.4). */
  JpegXlJpegRecompression: '1.2.840.10008.1.2.4.111',
  /** JPEG XL (PS3.5 A.4). */
  JpegXl: '1.2.840.10008.1.2.4.112',
  /** High-Throughput JPEG 2000 (Lossless Only) (PS3.5 A.4). */
  Htj2kLossless: '1.2.840.10008.1.2.4.201',
  /** High-Throughput JPEG 2000 with RPCL Options (Lossless Only) (PS3.5 A.4). */
  Htj2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  /** High-Throughput JPEG 2000 (PS3.5 A.4). */
  Htj2k: '1.2.840.10008.1.2.4.203',
  /** JPIP HTJ2K Referenced (PS3.5 Annex A). */
  JpipHtj2kReferenced: '1.2.840.10008.1.2.4.204',
  /** JPIP HTJ2K Referenced Deflate (PS3.5 Annex A). */
  JpipHtj2kReferencedDeflate: '1.2.840.10008.1.2.4.205',
  /** RLE Lossless (PS3.5 A.4). */
  RleLossless: '1.2.840.10008.1.2.5',
  /** Deflated Image Frame Compression: each frame deflated and encapsulated (PS3.5 A.4). */
  DeflatedImageFrameCompression: '1.2.840.10008.1.2.8.1',
} as const;

/** One of the UIDs named in {@link TransferSyntax}. */
export type TransferSyntax = (typeof TransferSyntax)[keyof typeof TransferSyntax];

/** What a transfer syntax means for the encoding of a data set. */
export interface TransferSyntaxInfo {
  /** The UID asked about. */
  readonly uid: string;
  /** PS3.6 Annex A name; `Unknown Transfer Syntax` for a UID not in the registry. */
  readonly name: string;
  /** Elements carry a VR field (everything but Implicit VR Little Endian). */
  readonly explicitVr: boolean;
  /** Tags, lengths and binary values are Little Endian (everything but Explicit VR Big Endian). */
  readonly littleEndian: boolean;
  /** The whole data set is one raw DEFLATE stream (PS3.5 A.5). */
  readonly deflated: boolean;
  /** Pixel Data (7FE0,0010) is encapsulated in fragments (PS3.5 A.4). */
  readonly encapsulated: boolean;
  /** Retired from the standard (PS3.6 Annex A). */
  readonly retired: boolean;
  /** False for a UID not in dicomnet's registry (private or newer than this table). */
  readonly known: boolean;
}

type Row = readonly [uid: string, name: string, flags: string];

// flags: i = implicit VR, b = big endian, d = deflated data set, e = encapsulated pixel data,
// r = retired. Names and UIDs from PS3.6 Annex A (Table A-1).
const ROWS: readonly Row[] = [
  [TransferSyntax.ImplicitVrLittleEndian, 'Implicit VR Little Endian', 'i'],
  [TransferSyntax.ExplicitVrLittleEndian, 'Explicit VR Little Endian', ''],
  [
    TransferSyntax.EncapsulatedUncompressedExplicitVrLittleEndian,
    'Encapsulated Uncompressed Explicit VR Little Endian',
    'e',
  ],
  [TransferSyntax.DeflatedExplicitVrLittleEndian, 'Deflated Explicit VR Little Endian', 'd'],
  [TransferSyntax.ExplicitVrBigEndian, 'Explicit VR Big Endian (Retired)', 'br'],
  ['1.2.840.10008.1.20', 'Papyrus 3 Implicit VR Little Endian (Retired)', 'ir'],
  [TransferSyntax.JpegBaseline, 'JPEG Baseline (Process 1)', 'e'],
  [TransferSyntax.JpegExtended, 'JPEG Extended (Process 2 & 4)', 'e'],
  ['1.2.840.10008.1.2.4.52', 'JPEG Extended (Process 3 & 5) (Retired)', 'er'],
  [
    '1.2.840.10008.1.2.4.53',
    'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.54',
    'JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.55',
    'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.56',
    'JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (Retired)',
    'er',
  ],
  [TransferSyntax.JpegLossless, 'JPEG Lossless, Non-Hierarchical (Process 14)', 'e'],
  ['1.2.840.10008.1.2.4.58', 'JPEG Lossless, Non-Hierarchical (Process 15) (Retired)', 'er'],
  ['1.2.840.10008.1.2.4.59', 'JPEG Extended, Hierarchical (Process 16 & 18) (Retired)', 'er'],
  ['1.2.840.10008.1.2.4.60', 'JPEG Extended, Hierarchical (Process 17 & 19) (Retired)', 'er'],
  [
    '1.2.840.10008.1.2.4.61',
    'JPEG Spectral Selection, Hierarchical (Process 20 & 22) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.62',
    'JPEG Spectral Selection, Hierarchical (Process 21 & 23) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.63',
    'JPEG Full Progression, Hierarchical (Process 24 & 26) (Retired)',
    'er',
  ],
  [
    '1.2.840.10008.1.2.4.64',
    'JPEG Full Progression, Hierarchical (Process 25 & 27) (Retired)',
    'er',
  ],
  ['1.2.840.10008.1.2.4.65', 'JPEG Lossless, Hierarchical (Process 28) (Retired)', 'er'],
  ['1.2.840.10008.1.2.4.66', 'JPEG Lossless, Hierarchical (Process 29) (Retired)', 'er'],
  [
    TransferSyntax.JpegLosslessSv1,
    'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])',
    'e',
  ],
  [TransferSyntax.JpegLsLossless, 'JPEG-LS Lossless Image Compression', 'e'],
  [TransferSyntax.JpegLsNearLossless, 'JPEG-LS Lossy (Near-Lossless) Image Compression', 'e'],
  [TransferSyntax.Jpeg2000Lossless, 'JPEG 2000 Image Compression (Lossless Only)', 'e'],
  [TransferSyntax.Jpeg2000, 'JPEG 2000 Image Compression', 'e'],
  [
    TransferSyntax.Jpeg2000Part2MulticomponentLossless,
    'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)',
    'e',
  ],
  [
    TransferSyntax.Jpeg2000Part2Multicomponent,
    'JPEG 2000 Part 2 Multi-component Image Compression',
    'e',
  ],
  // JPIP: the pixel data is referenced by URL, not carried, so nothing is encapsulated.
  [TransferSyntax.JpipReferenced, 'JPIP Referenced', ''],
  [TransferSyntax.JpipReferencedDeflate, 'JPIP Referenced Deflate', 'd'],
  [TransferSyntax.Mpeg2MainProfileMainLevel, 'MPEG2 Main Profile / Main Level', 'e'],
  [
    TransferSyntax.FragmentableMpeg2MainProfileMainLevel,
    'Fragmentable MPEG2 Main Profile / Main Level',
    'e',
  ],
  [TransferSyntax.Mpeg2MainProfileHighLevel, 'MPEG2 Main Profile / High Level', 'e'],
  [
    TransferSyntax.FragmentableMpeg2MainProfileHighLevel,
    'Fragmentable MPEG2 Main Profile / High Level',
    'e',
  ],
  [TransferSyntax.Mpeg4HighProfileLevel41, 'MPEG-4 AVC/H.264 High Profile / Level 4.1', 'e'],
  [
    TransferSyntax.FragmentableMpeg4HighProfileLevel41,
    'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1',
    'e',
  ],
  [
    TransferSyntax.Mpeg4BdCompatibleHighProfileLevel41,
    'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
    'e',
  ],
  [
    TransferSyntax.FragmentableMpeg4BdCompatibleHighProfileLevel41,
    'Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
    'e',
  ],
  [
    TransferSyntax.Mpeg4HighProfileLevel42For2dVideo,
    'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video',
    'e',
  ],
  [
    TransferSyntax.FragmentableMpeg4HighProfileLevel42For2dVideo,
    'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video',
    'e',
  ],
  [
    TransferSyntax.Mpeg4HighProfileLevel42For3dVideo,
    'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video',
    'e',
  ],
  [
    TransferSyntax.FragmentableMpeg4HighProfileLevel42For3dVideo,
    'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video',
    'e',
  ],
  [
    TransferSyntax.Mpeg4StereoHighProfileLevel42,
    'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2',
    'e',
  ],
  [
    TransferSyntax.FragmentableMpeg4StereoHighProfileLevel42,
    'Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2',
    'e',
  ],
  [TransferSyntax.HevcMainProfileLevel51, 'HEVC/H.265 Main Profile / Level 5.1', 'e'],
  [TransferSyntax.HevcMain10ProfileLevel51, 'HEVC/H.265 Main 10 Profile / Level 5.1', 'e'],
  [TransferSyntax.JpegXlLossless, 'JPEG XL Lossless', 'e'],
  [TransferSyntax.JpegXlJpegRecompression, 'JPEG XL JPEG Recompression', 'e'],
  [TransferSyntax.JpegXl, 'JPEG XL', 'e'],
  [
    TransferSyntax.Htj2kLossless,
    'High-Throughput JPEG 2000 Image Compression (Lossless Only)',
    'e',
  ],
  [
    TransferSyntax.Htj2kLosslessRpcl,
    'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)',
    'e',
  ],
  [TransferSyntax.Htj2k, 'High-Throughput JPEG 2000 Image Compression', 'e'],
  [TransferSyntax.JpipHtj2kReferenced, 'JPIP HTJ2K Referenced', ''],
  [TransferSyntax.JpipHtj2kReferencedDeflate, 'JPIP HTJ2K Referenced Deflate', 'd'],
  [TransferSyntax.RleLossless, 'RLE Lossless', 'e'],
  // MIME and XML encodings are not PS3.5 binary encodings at all; listed so that they are named.
  ['1.2.840.10008.1.2.6.1', 'RFC 2557 MIME encapsulation (Retired)', 'r'],
  ['1.2.840.10008.1.2.6.2', 'XML Encoding (Retired)', 'r'],
  // SMPTE ST 2110 syntaxes carry the essence outside the data set (PS3.22).
  ['1.2.840.10008.1.2.7.1', 'SMPTE ST 2110-20 Uncompressed Progressive Active Video', ''],
  ['1.2.840.10008.1.2.7.2', 'SMPTE ST 2110-20 Uncompressed Interlaced Active Video', ''],
  ['1.2.840.10008.1.2.7.3', 'SMPTE ST 2110-30 PCM Digital Audio', ''],
  [TransferSyntax.DeflatedImageFrameCompression, 'Deflated Image Frame Compression', 'e'],
];

const REGISTRY: ReadonlyMap<string, TransferSyntaxInfo> = new Map(
  ROWS.map(([uid, name, flags]) => [
    uid,
    {
      uid,
      name,
      explicitVr: !flags.includes('i'),
      littleEndian: !flags.includes('b'),
      deflated: flags.includes('d'),
      encapsulated: flags.includes('e'),
      retired: flags.includes('r'),
      known: true,
    },
  ]),
);

/**
 * Describes a transfer syntax. A UID not in the registry (private, or newer than this table) is
 * described as encapsulated Explicit VR Little Endian: every standard transfer syntax added
 * after the three native ones encodes the data set so (PS3.5 A.4 requires Explicit VR Little
 * Endian for all encapsulated syntaxes), which makes it the only safe guess. PS3.5 §10 itself
 * does not say how to read an unknown syntax; a peer should not send one that was not
 * negotiated.
 * @param uid - A transfer syntax UID; trailing NUL or space padding is ignored.
 */
export function describeTransferSyntax(uid: string): TransferSyntaxInfo {
  const trimmed = uid.replace(/[\0 ]+$/, '');
  return (
    REGISTRY.get(trimmed) ?? {
      uid: trimmed,
      name: 'Unknown Transfer Syntax',
      explicitVr: true,
      littleEndian: true,
      deflated: false,
      encapsulated: true,
      retired: false,
      known: false,
    }
  );
}

/** Every transfer syntax in dicomnet's registry, in PS3.6 order. */
export function listTransferSyntaxes(): readonly TransferSyntaxInfo[] {
  return [...REGISTRY.values()];
}
