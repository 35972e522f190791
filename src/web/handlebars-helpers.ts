import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HelperOptions } from 'handlebars';
import { formatCalendarDate, formatDueTime, formatInstant, homeLanguageName, translate } from '../i18n/i18n.service';
import { organisationName, OrganisationNames } from '../organisations/organisation-name';
import { PERMISSIONS, Permission, roleMay } from '../access/permissions';
import { Language, Role } from '../common/roles';

type Hbs = {
  registerHelper: (name: string, fn: (...args: never[]) => unknown) => void;
  registerPartial: (name: string, source: string) => void;
};

/** What every page's template context carries that the helpers read (set by PageLocalsInterceptor). */
interface PageRoot {
  lang?: string;
  actor?: { role?: Role };
}
const pageRoot = (options: HelperOptions): PageRoot | undefined =>
  (options?.data as { root?: PageRoot } | undefined)?.root;

const languageOf = (options: HelperOptions): Language => (pageRoot(options)?.lang === 'cy' ? 'cy' : 'en');

/**
 * View helpers. Every string a person reads goes through `t`; values are escaped by Handlebars
 * (`{{ }}`), and no helper returns a SafeString built from user data.
 */
export function registerHelpers(hbs: Hbs): void {
  hbs.registerHelper('t', function (key: string, options: HelperOptions) {
    return translate(languageOf(options), key, options.hash);
  });
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('date', (isoDate: string, options: HelperOptions) =>
    isoDate ? formatCalendarDate(languageOf(options), isoDate) : '',
  );
  hbs.registerHelper('instant', (value: string | Date, options: HelperOptions) =>
    value ? formatInstant(languageOf(options), value) : '',
  );
  /** `{{due dueBy}}`: "by 14:15 on Tuesday 24 November", as people say a due time. */
  hbs.registerHelper('due', (value: string | Date, options: HelperOptions) =>
    value ? formatDueTime(languageOf(options), value) : '',
  );
  hbs.registerHelper('yearGroup', (yearGroup: number, options: HelperOptions) =>
    yearGroup === 0
      ? translate(languageOf(options), 'yearGroups.reception')
      : translate(languageOf(options), 'yearGroups.year', { n: yearGroup }),
  );
  /**
   * `{{#if (may "concern.record")}}`: whether the signed-in person's role has a permission, from the
   * same table AccessPolicy.may reads. Only for choosing which links to show; services still decide.
   */
  hbs.registerHelper('may', (permission: string, options: HelperOptions) => {
    const role = pageRoot(options)?.actor?.role;
    return (
      Boolean(role) &&
      Object.prototype.hasOwnProperty.call(PERMISSIONS, permission) &&
      roleMay(role!, permission as Permission)
    );
  });
  /** `{{organisationName org}}`: an organisation's name in the page's language (its Welsh name when it has one). */
  hbs.registerHelper('organisationName', (org: OrganisationNames | null | undefined, options: HelperOptions) =>
    org ? organisationName({ name: org.name, nameCy: org.nameCy ?? null }, languageOf(options)) : '',
  );
  /** `{{homeLanguage pupil.homeLanguage}}`: a home language as recorded, named in the page's language. */
  hbs.registerHelper('homeLanguage', (value: string | null | undefined, options: HelperOptions) =>
    value ? homeLanguageName(languageOf(options), value) : '',
  );
  /** `{{concat "roles." role}}`, for looking up a code's label. */
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
}

/** Registers every `views/partials/**.hbs` synchronously, so the first page never renders without them. */
export function registerPartials(hbs: Hbs, directory: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.hbs') ? [path] : [];
    });
  for (const file of walk(directory)) {
    hbs.registerPartial(
      relative(directory, file)
        .replace(/\.hbs$/, '')
        .split('\\')
        .join('/'),
      readFileSync(file, 'utf8'),
    );
  }
}
