export { TransferSyntax, describeTransferSyntax, listTransferSyntaxes } from './transfer-syntax.js';
export type { TransferSyntaxInfo } from './transfer-syntax.js';
