import { GUIDANCE_LEVELS, GUIDANCE_ROUTES } from '../../guidance/codes';
import { translate } from '../../i18n/i18n.service';
import { Language } from '../../common/roles';

/**
 * The words the live guidance panel needs in the browser (level and route names, headings), handed
 * to its script as JSON in a data attribute, so the script itself holds no text in either language.
 * `forStaff` (someone who cannot send a referral: staff, a head teacher) gets what they do now, give
 * it to the DSP, instead of the DSP's steps (the services' "how to get it": send a MASH referral...).
 */
export function guidancePanelLabels(language: Language, forStaff: boolean): string {
  const t = (key: string) => translate(language, key);
  return JSON.stringify({
    levels: Object.fromEntries(GUIDANCE_LEVELS.map((level) => [level, t(`guidance.levels.${level}`)])),
    routes: Object.fromEntries(GUIDANCE_ROUTES.map((route) => [route, t(`guidance.routes.${route}`)])),
    heading: t('concernForm.guidancePanel.heading'),
    level: t('concernForm.guidancePanel.level'),
    route: t('concernForm.guidancePanel.route'),
    why: t('concernPage.guidance.why'),
    history: t('concernPage.guidance.history'),
    alsoDo: t('concernPage.guidance.alsoDo'),
    services: t('concernPage.guidance.services'),
    howToAccess: t('concernPage.guidance.howToAccess'),
    reviewChronology: t('concernPage.guidance.reviewChronology'),
    neverBlocks: t(forStaff ? 'concernForm.guidancePanel.neverBlocksStaff' : 'concernPage.guidance.neverBlocks'),
    forStaff,
    staff: forStaff
      ? {
          heading: t('concernForm.guidancePanel.staffHeading'),
          steps: [
            t('concernForm.guidancePanel.staffGiveToDsp'),
            t('concernForm.guidancePanel.staffNoDsp'),
            t('concernForm.guidancePanel.staffEmergency'),
          ],
        }
      : null,
    callNow: t('concernForm.guidancePanel.callNow'),
    seeFull: t('concernForm.guidancePanel.seeFull'),
    unavailable: t('concernForm.guidancePanel.unavailable'),
    chooseCategory: t('concernForm.guidancePanel.chooseCategory'),
  });
}
