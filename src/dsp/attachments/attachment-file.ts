/**
 * What an attachment is, judged from its bytes (never its name or the browser's Content-Type), and
 * the name it is shown and downloaded under.
 */

/** At most this many bytes per file (API.md): the upload middleware stops reading past it. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The longest filename kept (characters); longer names keep their end (the extension). */
export const ATTACHMENT_FILENAME_MAX = 200;

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The types accepted, as `file-type` names them (`ext`), with the Content-Type stored and served. */
const DETECTED: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  docx: DOCX_TYPE,
};

export const ATTACHMENT_CONTENT_TYPES = [...Object.values(DETECTED), 'text/plain'] as const;

/**
 * The Content-Type of an acceptable file, or null (415). `file-type` reads the magic numbers (a
 * renamed program stays a program); it cannot recognise text, so a file it finds nothing in is text
 * only when it is valid UTF-8 with no control characters but tab, CR and LF.
 */
export async function detectAttachmentType(bytes: Uint8Array): Promise<string | null> {
  // ESM-only package: tsc turns this into require(), which Node 20 loads; Jest compiles it with Babel.
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(bytes);
  if (found) return DETECTED[found.ext] ?? null;
  return isPlainText(bytes) ? 'text/plain' : null;
}

export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return bytes.every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte !== 0x7f));
}

// Control characters (C0, DEL, C1) and the bidi controls that can make "exe.pdf" read as "fdp.exe".
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The name as the person gave it, safe to show and to send back: only its last path part, no control
 * or bidirectional-override characters, spaces collapsed, at most ATTACHMENT_FILENAME_MAX characters.
 */
export function sanitiseFilename(original: string | undefined): string {
  const lastPart = (original ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastPart
    .normalize('NFC')
    .replace(UNSAFE_IN_NAMES, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const chars = [...cleaned];
  if (chars.length === 0) return 'attachment';
  if (chars.length <= ATTACHMENT_FILENAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? [...cleaned.slice(dot)] : [];
  return chars.slice(0, ATTACHMENT_FILENAME_MAX - extension.length).join('') + extension.join('');
}

/** The extensions a saved file may end in for each type served (the first is added when none fits). */
const EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  [DOCX_TYPE]: ['.docx'],
  'text/plain': ['.txt', '.text', '.csv', '.md', '.log'],
};

/**
 * The name a file is saved under: the name given, with the extension of its real type added when the
 * name's own says otherwise, so a text file named `run.bat` or `page.html` is saved as `run.bat.txt`
 * and a double-click opens it as what it is, never runs or renders it.
 */
export function downloadNameOf(filename: string, contentType: string): string {
  const allowed = EXTENSIONS[contentType] ?? [];
  const lower = filename.toLowerCase();
  if (allowed.length === 0 || allowed.some((extension) => lower.endsWith(extension))) return filename;
  return `${filename}${allowed[0]}`;
}

/**
 * `Content-Disposition: attachment` with the name twice: an ASCII stand-in for old clients and the
 * real name encoded as RFC 8187 (`filename*=UTF-8''…`), so no quote, semicolon or newline in a name
 * can break out of the header.
 */
export function contentDispositionOf(filename: string): string {
  const ascii = sanitiseFilename(filename).replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(sanitiseFilename(filename)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
