import { Language } from '../common/language';
import cy from './cy.json';
import en from './en.json';

export type Catalogue = { [key: string]: string | Catalogue };

/** English and Welsh hold the same keys (checked by a test and by the pre-stop hook). */
export const CATALOGUES: Record<Language, Catalogue> = { en, cy };
