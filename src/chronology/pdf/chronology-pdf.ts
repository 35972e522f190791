import { StreamableFile } from '@nestjs/common';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { translate } from '../../i18n/i18n.service';
import type { ChronologyExport } from '../chronology.service';
import { BODY_MAP_HEIGHT, bodyMapLegend, drawBodyMap } from './body-figure';
import {
  exporterLine,
  pageLabel,
  pdfFileName,
  pdfEntry,
  PdfOptions,
  protectiveMarking,
  pupilFacts,
} from './chronology-pdf.text';

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package: the PDF standard fonts (Helvetica and friends) have
 * no ŵ or ŷ, which Welsh needs. Embedded as subsets, so the file carries only the glyphs it uses.
 */
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/**
 * Always chosen by path: pdfkit caches a font under the name it was chosen by, except that a font
 * registered under an alias whose file is already open by path is opened and parsed again on every
 * `font()` call (thousands of times in a long chronology).
 */
const FONTS = {
  regular: join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
};

const MARGIN = { top: 64, bottom: 78, left: 50, right: 50 };
const INK = '#0b0c0c';
const MUTED = '#505a5f';
const RULE = '#b1b4b6';
const LABEL_WIDTH = 130;

/** Entries drawn between two turns of the event loop: pdfkit is synchronous, so other requests wait on a chunk. */
export const ENTRIES_PER_TURN = 20;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The chronology as a PDF (issue 12): OFFICIAL-SENSITIVE at the top and bottom of every page, the
 * pupil's details on the first, then every entry with its time, kind, where it was made, who (a role
 * only when staff names are removed), its title and its text verbatim, the child's words with the
 * language they were said in, and body-map marks drawn on the figure; on every page "page N of M" and
 * who exported it and when. Yields to the event loop every ENTRIES_PER_TURN entries.
 */
export async function renderChronologyPdf(exported: ChronologyExport, options: PdfOptions): Promise<Buffer> {
  const { language } = options;
  const t = (key: string, params = {}) => translate(language, `chronologyPdf.${key}`, params);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    font: FONTS.regular,
    lang: language === 'cy' ? 'cy-GB' : 'en-GB',
    // No author and no pupil in the metadata: a file's properties are shown by every file browser.
    info: {
      Title: `${t('documentTitle')} (${protectiveMarking(language)})`,
      Creator: translate(language, 'service.name'),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  /** Starts a new page unless `height` more points fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const write = (text: string, font: 'regular' | 'bold', size: number, color = INK, indent = 0) =>
    doc
      .font(FONTS[font])
      .fontSize(size)
      .fillColor(color)
      .text(text, left + indent, doc.y, { width: width - indent });

  // The first page: what this is, whose, which dates, whether names are removed.
  write(t('documentTitle'), 'bold', 18);
  doc.moveDown(0.6);
  for (const fact of pupilFacts(exported, options)) {
    const top = doc.y;
    doc.font(FONTS.bold).fontSize(10).fillColor(INK).text(fact.label, left, top, { width: LABEL_WIDTH });
    const afterLabel = doc.y;
    doc.font(FONTS.regular).text(fact.value, left + LABEL_WIDTH, top, { width: width - LABEL_WIDTH });
    doc.y = Math.max(doc.y, afterLabel) + 4;
  }
  doc.moveDown(0.4);
  write(t('verbatimNote'), 'regular', 9, MUTED);
  doc.moveDown(0.8);
  write(t('entriesHeading', { count: exported.entries.length }), 'bold', 14);
  doc.moveDown(0.4);
  if (exported.entries.length === 0) write(t('noEntries'), 'regular', 10);

  for (const [index, entry] of exported.entries.entries()) {
    if (index > 0 && index % ENTRIES_PER_TURN === 0) await nextTurn();
    const printed = pdfEntry(entry, options);
    // Keep an entry's heading with at least its first lines.
    room(64);
    write(`${printed.time} · ${printed.kind}`, 'bold', 9, MUTED);
    write(printed.title, 'bold', 11);
    write(printed.who ? `${printed.madeAt}. ${printed.who}` : printed.madeAt, 'regular', 9, MUTED);
    if (printed.detail) {
      doc.moveDown(0.2);
      write(printed.detail, 'regular', 10);
    }
    if (printed.childsWords) {
      doc.moveDown(0.2);
      write(printed.childsWords.label, 'regular', 9, MUTED);
      const top = doc.y;
      write(printed.childsWords.text, 'regular', 10, INK, 10);
      doc
        .save()
        .lineWidth(2)
        .moveTo(left + 3, top)
        .lineTo(left + 3, Math.max(doc.y, top + 10))
        .stroke(RULE)
        .restore();
    }
    const marks = printed.concernId ? exported.bodyMaps.get(printed.concernId) : undefined;
    if (marks?.length) {
      doc.moveDown(0.3);
      room(BODY_MAP_HEIGHT + 30);
      write(t('bodyMap'), 'bold', 10);
      const top = doc.y + 2;
      drawBodyMap(doc, left, top, marks, language);
      doc.y = top + BODY_MAP_HEIGHT + 6;
      for (const line of bodyMapLegend(marks, language)) write(line, 'regular', 9);
    }
    doc.moveDown(0.4);
    doc
      .save()
      .lineWidth(0.5)
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .stroke(RULE)
      .restore();
    doc.moveDown(0.6);
  }

  // Every page's marking, page number and exporter, now that the number of pages is known.
  await nextTurn();
  const marking = protectiveMarking(language);
  const exporter = exporterLine(options);
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing in the margins: without this pdfkit would start a new page for text below the bottom margin.
    const margins = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    doc.font(FONTS.bold).fontSize(10).fillColor(INK);
    doc.text(marking, left, 28, { width, align: 'center', lineBreak: false });
    const footer = doc.page.height - MARGIN.bottom + 18;
    doc.text(marking, left, footer, { width, align: 'center', lineBreak: false });
    doc.font(FONTS.regular).fontSize(8).fillColor(MUTED);
    doc.text(exporter, left, footer + 16, { width: width - 100 });
    doc.text(pageLabel(language, i - start + 1, count), left + width - 90, footer + 16, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = margins;
  }
  // Ending is synchronous too: compressing the pages, then embedding the fonts' subsets. Two turns.
  await nextTurn();
  doc.flushPages();
  await nextTurn();
  doc.end();
  return ended;
}

/** The PDF as a download: `application/pdf`, an attachment named by `pdfFileName` (no child's name). */
export async function chronologyPdfFile(exported: ChronologyExport, options: PdfOptions): Promise<StreamableFile> {
  const pdf = await renderChronologyPdf(exported, options);
  return new StreamableFile(pdf, {
    type: 'application/pdf',
    disposition: `attachment; filename="${pdfFileName(exported.pupil.upn, options.exportedAt)}"`,
    length: pdf.length,
  });
}
