// file-type is ESM-only and types itself through package.json "exports", which this project's CommonJS
// module resolution does not read; this is the part attachment-file.ts uses.
declare module 'file-type' {
  export interface FileTypeResult {
    ext: string;
    mime: string;
  }
  export function fileTypeFromBuffer(buffer: Uint8Array | ArrayBuffer): Promise<FileTypeResult | undefined>;
}
