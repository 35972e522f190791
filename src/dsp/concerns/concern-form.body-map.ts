import { FormError } from '../../web/forms';
import { isBodyMapView, isBodyRegion, MAX_BODY_MAP_MARKS, pointForClick, pointForRegion } from './body-map';
import { ConcernFormAction, ConcernFormState } from './concern-form.parser';

/** The body-map buttons of the "record a concern" form (they work without JavaScript). */
export type BodyMapAction = Exclude<ConcernFormAction, { kind: 'record' } | { kind: 'checkGuidance' }>;

/**
 * A body-map button: adds a mark where the figure was clicked or at the chosen body area (with the
 * note typed for it), or removes one. Returns the new state, or an error to show.
 */
export function applyBodyMapAction(
  state: ConcernFormState,
  action: BodyMapAction,
): { state: ConcernFormState; errors: FormError[] } {
  if (action.kind === 'remove') {
    return { state: { ...state, bodyMap: state.bodyMap.filter((_, index) => index !== action.index) }, errors: [] };
  }
  if (state.bodyMap.length >= MAX_BODY_MAP_MARKS)
    return { state, errors: [{ field: 'markRegion', key: 'bodyMap.errors.tooMany', max: MAX_BODY_MAP_MARKS }] };
  const point =
    action.kind === 'click'
      ? pointForClick(action.view, action.x, action.y)
      : isBodyRegion(state.markRegion)
        ? pointForRegion(state.markRegion, isBodyMapView(state.markView) ? state.markView : 'front')
        : null;
  if (!point) {
    const key = action.kind === 'click' ? 'bodyMap.errors.noPosition' : 'bodyMap.errors.regionMissing';
    return { state, errors: [{ field: 'markRegion', key }] };
  }
  const mark = { view: point.view, x: point.x, y: point.y, note: state.markNote };
  return { state: { ...state, bodyMap: [...state.bodyMap, mark], markRegion: '', markNote: '' }, errors: [] };
}
