// The multer that ships with @nestjs/platform-express (its own dependency), as far as the roll page uses it.
declare module 'multer' {
  import { RequestHandler } from 'express';

  interface MulterFile {
    fieldname: string;
    originalname: string;
    mimetype: string;
    size: number;
    buffer: Buffer;
  }
  interface Multer {
    single(field: string): RequestHandler;
  }
  interface MulterOptions {
    storage?: unknown;
    limits?: { fileSize?: number; files?: number; fields?: number; fieldSize?: number; parts?: number };
  }
  interface MulterStatic {
    (options?: MulterOptions): Multer;
    memoryStorage(): unknown;
    MulterError: new (...args: unknown[]) => Error & { code: string; field?: string };
  }
  const multer: MulterStatic;
  export default multer;
  export type { MulterFile };
}
