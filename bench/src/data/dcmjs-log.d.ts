// dcmjs's logger (loglevel), which bench/src/dcmjs/dcmjs.d.ts does not declare: the `data`
// benchmark silences the validation logger. Present in dcmjs 0.52.2 (build/dcmjs.es.js exports
// `log`; its "validation.dcmjs" child logs "Invalid vr type").
declare module 'dcmjs' {
  /** A loglevel logger. */
  export interface DcmjsLogger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
    getLogger(name: string): DcmjsLogger;
  }
  export const log: DcmjsLogger;
}
