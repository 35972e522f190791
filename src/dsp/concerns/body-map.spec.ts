import {
  BODY_REGIONS,
  FIGURE_HEIGHT,
  FIGURE_WIDTH,
  figureCoordinates,
  nearestRegion,
  pointForClick,
  pointForRegion,
} from './body-map';

describe('body map', () => {
  it('normalises a click on a figure by the figure size, to three decimals', () => {
    expect(pointForClick('front', '80', '105')).toEqual({ view: 'front', x: 0.5, y: 0.263 });
    expect(pointForClick('back', String(FIGURE_WIDTH), String(FIGURE_HEIGHT))).toEqual({ view: 'back', x: 1, y: 1 });
  });

  it('keeps a click inside the figure and ignores a click with no position (keyboard activation sends 0,0)', () => {
    expect(pointForClick('front', '500', '-3')).toEqual({ view: 'front', x: 1, y: 0 });
    expect(pointForClick('front', '0', '0')).toBeNull();
    expect(pointForClick('front', 'abc', '10')).toBeNull();
    expect(pointForClick('front', undefined, '10')).toBeNull();
  });

  it('places every body area on the figure, on the side it can be seen from', () => {
    for (const region of BODY_REGIONS) {
      for (const view of ['front', 'back'] as const) {
        const point = pointForRegion(region, view);
        expect(point.x).toBeGreaterThanOrEqual(0);
        expect(point.x).toBeLessThanOrEqual(1);
        expect(point.y).toBeGreaterThanOrEqual(0);
        expect(point.y).toBeLessThanOrEqual(1);
        // Its own point is nearest to itself: the description of a mark names the area it was added by.
        expect(nearestRegion(point.view, point.x, point.y)).toBe(region);
      }
    }
    expect(pointForRegion('face', 'back').view).toBe('front');
    expect(pointForRegion('buttocks', 'front').view).toBe('back');
  });

  it("uses the child's left and right: the left arm is on the viewer's right from the front, left from the back", () => {
    expect(pointForRegion('left_arm', 'front').x).toBeGreaterThan(0.5);
    expect(pointForRegion('left_arm', 'back').x).toBeLessThan(0.5);
    expect(nearestRegion('front', 0.76, 0.35)).toBe('left_arm');
    expect(nearestRegion('back', 0.76, 0.35)).toBe('right_arm');
  });

  it("gives SVG coordinates in the figure's pixels", () => {
    expect(figureCoordinates(0.5, 0.263)).toEqual({ cx: 80, cy: 105.2 });
  });
});
