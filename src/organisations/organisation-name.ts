import { Language } from '../common/language';

/** An organisation's names: the English one always, the Welsh one when it has one. */
export interface OrganisationNames {
  name: string;
  nameCy: string | null;
}

/** The name a reader sees: the Welsh name for a Welsh reader when there is one, else the English name. */
export function organisationName(org: OrganisationNames, language: Language): string {
  return language === 'cy' && org.nameCy ? org.nameCy : org.name;
}
