export { fromHex, toHex, asciiHex, concatBytes, splits } from './hex.js';
export { freePort } from './free-port.js';
export { duplexPair } from './duplex-pair.js';
export { tempDir } from './temp-dir.js';
export { hasCommand } from './has-command.js';
export { isProcessRunning } from './process-running.js';
export {
  PeerToolMissingError,
  PeerStartError,
  OrthancRestError,
  ToolFailedError,
} from './peer-errors.js';
export { spawnPeer, stopAllPeers, livePeerPids, DEFAULT_STOP_TIMEOUT_MS } from './spawn-peer.js';
export type { SpawnPeerOptions, PeerProcess, PeerExit } from './spawn-peer.js';
export { runTool, DEFAULT_TOOL_TIMEOUT_MS } from './run-tool.js';
export type { RunToolOptions, ToolResult } from './run-tool.js';
export { movescuToItself } from './movescu-to-itself.js';
export type { MovescuToItselfOptions } from './movescu-to-itself.js';
export { waitForDicom } from './wait-for-dicom.js';
export type { WaitForDicomOptions } from './wait-for-dicom.js';
export type { DcmtkScp } from './launch-on-free-port.js';
export { startStorescp } from './start-storescp.js';
export type { StorescpOptions } from './start-storescp.js';
export { startDcmrecv, DCMTK_STORESCP_CONFIG } from './start-dcmrecv.js';
export type { DcmrecvOptions } from './start-dcmrecv.js';
export { startDcmqrscp } from './start-dcmqrscp.js';
export type { DcmqrscpOptions, DcmqrscpMoveDestination, Dcmqrscp } from './start-dcmqrscp.js';
export { startOrthanc } from './start-orthanc.js';
export type { OrthancOptions, OrthancModality, OrthancPeer } from './start-orthanc.js';
export {
  generateInstances,
  generateLargeInstance,
  imageShape,
  TEST_TRANSFER_SYNTAXES,
  SECONDARY_CAPTURE_IMAGE_STORAGE,
} from './generate-instances.js';
export type {
  GenerateInstancesOptions,
  GenerateLargeInstanceOptions,
  GeneratedInstance,
  TestTransferSyntax,
} from './generate-instances.js';
export { randomUid, RANDOM_UID_LENGTH } from './random-uid.js';
export { makeTlsCertificates, makeTlsIdentity } from './tls-certificates.js';
export type { TlsCertificates, TlsIdentity } from './tls-certificates.js';
export { startTlsStorescp } from './start-tls-storescp.js';
export type { TlsStorescpOptions } from './start-tls-storescp.js';
