import { createDcmjsCodec } from '../../src/index.js';
import { runDataSetCodecContract } from './data-set-codec.contract.js';

// dcmjs 0.52.2 writes OL, OV and SV as UN (dcmjs-notes.md defect 11); the adapter refuses them.
runDataSetCodecContract('dcmjs 0.52.2', () => createDcmjsCodec(), {
  unsupportedVrs: ['OL', 'OV', 'SV'],
});
