import { Language } from '../../common/language';
import { bodyMapFigures, FIGURE_HEIGHT, FIGURE_WIDTH } from '../../dsp/concerns/body-map';
import { BodyMapMark } from '../../dsp/concerns/concern.entity';
import { translate } from '../../i18n/i18n.service';

/**
 * The body figure of views/assets/body-map-front.svg and body-map-back.svg as vector paths, in the
 * figures' own units (160 × 400), so the PDF draws the same outline the concern page shows and a mark
 * stored at (x, y) from 0 to 1 lands where it was put. Keep these in step with the SVG files.
 */
const OUTLINE =
  'M72 62 L72 78 C60 80 48 82 44 90 C38 100 34 130 30 160 L24 200 C14 206 10 226 16 232 C22 236 28 228 30 214 ' +
  'L34 200 L42 160 C46 135 50 120 52 114 C54 150 54 185 52 214 C52 260 54 320 56 364 C50 372 48 386 58 388 ' +
  'L74 388 C78 384 78 372 76 364 C78 320 78 270 80 226 C82 270 82 320 84 364 C82 372 82 384 86 388 L102 388 ' +
  'C112 386 110 372 104 364 C106 320 108 260 108 214 C106 185 106 150 108 114 C110 120 114 135 118 160 ' +
  'L126 200 L130 214 C132 228 138 236 144 232 C150 226 146 206 136 200 L130 160 C126 130 122 100 116 90 ' +
  'C112 82 100 80 88 78 L88 62 Z';
const BACK_LINES = [
  'M80 84 L80 206',
  'M62 100 Q66 118 70 124 M98 100 Q94 118 90 124',
  'M62 214 Q72 222 80 212 Q88 222 98 214',
];

/** The height a figure is drawn at in the PDF, in points; the width follows the figure's proportions. */
export const FIGURE_POINTS_HIGH = 180;
const SCALE = FIGURE_POINTS_HIGH / FIGURE_HEIGHT;
export const FIGURE_POINTS_WIDE = FIGURE_WIDTH * SCALE;
const GAP = 40;
const CAPTION = 14;

/** What the drawing needs of pdfkit's document (so a test can record the calls). */
export interface VectorCanvas {
  save(): this;
  restore(): this;
  translate(x: number, y: number): this;
  scale(factor: number): this;
  path(d: string): this;
  ellipse(x: number, y: number, rx: number, ry: number): this;
  circle(x: number, y: number, r: number): this;
  lineWidth(w: number): this;
  dash(length: number, options?: { space: number }): this;
  undash(): this;
  fillAndStroke(fill: string, stroke: string): this;
  fill(color: string): this;
  stroke(color?: string): this;
  fillColor(color: string): this;
  fontSize(size: number): this;
  text(text: string, x: number, y: number, options?: { width?: number; align?: string; lineBreak?: boolean }): this;
}

/** The height `drawBodyMap` takes, captions included. */
export const BODY_MAP_HEIGHT = CAPTION + FIGURE_POINTS_HIGH;

/**
 * Draws the front and back figures side by side at (x, y), each mark a numbered red circle where it was
 * put; the numbers match `bodyMapLegend`. pdfkit's text calls move its cursor, so the caller places
 * what follows itself.
 */
export function drawBodyMap(doc: VectorCanvas, x: number, y: number, marks: BodyMapMark[], language: Language): void {
  const figures = bodyMapFigures(marks);
  if (!figures) return;
  const views = [
    { view: 'front' as const, marks: figures.front, left: x },
    { view: 'back' as const, marks: figures.back, left: x + FIGURE_POINTS_WIDE + GAP },
  ];
  for (const figure of views) {
    doc.fillColor('#0b0c0c').fontSize(9);
    doc.text(translate(language, `bodyMap.${figure.view}`), figure.left, y, {
      width: FIGURE_POINTS_WIDE,
      align: 'center',
      lineBreak: false,
    });
    doc
      .save()
      .translate(figure.left, y + CAPTION)
      .scale(SCALE);
    doc.lineWidth(2).path(OUTLINE).fillAndStroke('#f3f2f1', '#505a5f');
    doc.ellipse(80, 38, 22, 27).fillAndStroke('#f3f2f1', '#505a5f');
    if (figure.view === 'front') {
      doc.circle(72, 34, 2).fill('#505a5f');
      doc.circle(88, 34, 2).fill('#505a5f');
    } else {
      doc.lineWidth(1.5).dash(4, { space: 4 }).path(BACK_LINES[0]).stroke('#8c9398');
      doc.undash();
      for (const line of BACK_LINES.slice(1)) doc.path(line).stroke('#8c9398');
    }
    for (const mark of figure.marks) doc.circle(mark.cx, mark.cy, 9).fill('#d4351c');
    doc.restore();
    // Numbers at the document's scale, so they stay legible and are read back as text.
    doc.fillColor('#ffffff').fontSize(7);
    for (const mark of figure.marks) {
      doc.text(String(mark.number), figure.left + mark.cx * SCALE - 6, y + CAPTION + mark.cy * SCALE - 3.5, {
        width: 12,
        align: 'center',
        lineBreak: false,
      });
    }
  }
  doc.fillColor('#0b0c0c');
}

/** "1. Left arm (front): red mark on the upper arm" per mark, the note verbatim. */
export function bodyMapLegend(marks: BodyMapMark[], language: Language): string[] {
  const figures = bodyMapFigures(marks);
  if (!figures) return [];
  return figures.marks.map((mark) => {
    const where = translate(language, 'bodyMap.near', {
      region: translate(language, `bodyMap.regions.${mark.region}`),
      side: translate(language, `bodyMap.sides.${mark.view === 'back' ? 'back' : 'front'}`),
    });
    return `${mark.number}. ${where}${mark.note ? `: ${mark.note}` : ''}`;
  });
}
