/**
 * The body map: two outline figures (front and back, views/assets/body-map-*.svg) on which staff mark
 * where they saw an injury. A mark is stored as `{view, x, y, note}` with x and y from 0 to 1 across
 * the figure. Pure functions shared by the form (clicks and body areas) and the concern page.
 */

export const BODY_MAP_VIEWS = ['front', 'back'] as const;
export type BodyMapView = (typeof BODY_MAP_VIEWS)[number];

/** The figures' intrinsic (and rendered) size in CSS pixels; image-button clicks arrive in these units. */
export const FIGURE_WIDTH = 160;
export const FIGURE_HEIGHT = 400;

/** Most marks one concern may carry (RecordConcernDto's limit). */
export const MAX_BODY_MAP_MARKS = 50;

export const BODY_REGIONS = [
  'head',
  'face',
  'neck',
  'chest',
  'abdomen',
  'back',
  'left_arm',
  'right_arm',
  'left_hand',
  'right_hand',
  'left_leg',
  'right_leg',
  'left_foot',
  'right_foot',
  'buttocks',
  'genitals',
] as const;
export type BodyRegion = (typeof BODY_REGIONS)[number];

/**
 * Where each body area sits on each figure, in figure pixels. Left and right are the CHILD's: on the
 * front view the child's left is on the viewer's right; on the back view it is on the viewer's left.
 * Areas seen from one side only (face, chest, back...) have one view.
 */
const REGION_POINTS: Record<BodyRegion, Partial<Record<BodyMapView, [number, number]>>> = {
  head: { front: [80, 20], back: [80, 30] },
  face: { front: [80, 42] },
  neck: { front: [80, 72], back: [80, 72] },
  chest: { front: [80, 105] },
  abdomen: { front: [80, 165] },
  back: { back: [80, 130] },
  right_arm: { front: [38, 140], back: [122, 140] },
  left_arm: { front: [122, 140], back: [38, 140] },
  right_hand: { front: [20, 218], back: [140, 218] },
  left_hand: { front: [140, 218], back: [20, 218] },
  genitals: { front: [80, 212] },
  buttocks: { back: [80, 212] },
  right_leg: { front: [66, 290], back: [94, 290] },
  left_leg: { front: [94, 290], back: [66, 290] },
  right_foot: { front: [64, 380], back: [96, 380] },
  left_foot: { front: [96, 380], back: [64, 380] },
};

export interface BodyMapPoint {
  view: BodyMapView;
  x: number;
  y: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

export function isBodyRegion(value: unknown): value is BodyRegion {
  return typeof value === 'string' && (BODY_REGIONS as readonly string[]).includes(value);
}

export function isBodyMapView(value: unknown): value is BodyMapView {
  return value === 'front' || value === 'back';
}

/** The mark for a body area; an area seen from one side only is placed on that side whatever view was asked for. */
export function pointForRegion(region: BodyRegion, view: BodyMapView): BodyMapPoint {
  const points = REGION_POINTS[region];
  const chosen: BodyMapView = points[view] ? view : (Object.keys(points)[0] as BodyMapView);
  const [px, py] = points[chosen]!;
  return { view: chosen, x: round(px / FIGURE_WIDTH), y: round(py / FIGURE_HEIGHT) };
}

/**
 * A click on a figure (an `<input type="image">` sends `name.x` and `name.y` in pixels from its top
 * left corner). Null when there is no usable position: a keyboard activation sends 0,0.
 */
export function pointForClick(view: BodyMapView, x: unknown, y: unknown): BodyMapPoint | null {
  const px = Number(x);
  const py = Number(y);
  if (typeof x !== 'string' || typeof y !== 'string' || !Number.isFinite(px) || !Number.isFinite(py)) return null;
  if (px <= 0 && py <= 0) return null;
  return { view, x: round(clamp01(px / FIGURE_WIDTH)), y: round(clamp01(py / FIGURE_HEIGHT)) };
}

/** The body area nearest to a mark, to describe it in words ("near the left arm"). */
export function nearestRegion(view: BodyMapView, x: number, y: number): BodyRegion {
  let best: BodyRegion = 'chest';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const region of BODY_REGIONS) {
    const point = REGION_POINTS[region][view];
    if (!point) continue;
    const distance = Math.hypot(point[0] - x * FIGURE_WIDTH, point[1] - y * FIGURE_HEIGHT);
    if (distance < bestDistance) {
      best = region;
      bestDistance = distance;
    }
  }
  return best;
}

/** SVG coordinates of a mark on a figure (the figures' viewBox is their pixel size). */
export function figureCoordinates(x: number, y: number): { cx: number; cy: number } {
  return { cx: Math.round(x * FIGURE_WIDTH * 10) / 10, cy: Math.round(y * FIGURE_HEIGHT * 10) / 10 };
}

/**
 * Marks as the body-map partial (views/partials/body-map.hbs) draws them: numbered, placed on their
 * figure and described by the nearest body area. Null when there are none.
 */
export function bodyMapFigures(marks: ReadonlyArray<{ view: string; x: number; y: number; note?: string | null }>) {
  const numbered = marks.map((mark, index) => ({
    number: index + 1,
    view: mark.view,
    note: mark.note ?? null,
    region: nearestRegion(mark.view === 'back' ? 'back' : 'front', mark.x, mark.y),
    ...figureCoordinates(mark.x, mark.y),
  }));
  if (numbered.length === 0) return null;
  return {
    marks: numbered,
    front: numbered.filter((m) => m.view === 'front'),
    back: numbered.filter((m) => m.view === 'back'),
  };
}
