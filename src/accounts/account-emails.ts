import { Role } from '../common/roles';
import { translate } from '../i18n/i18n.service';
import { EmailMessage } from '../mail/email-content';
import { Language } from '../common/language';
import { OrganisationNames } from '../organisations/organisation-name';

/** What an invitation or a new-role email needs; the words are the catalogue's (emails.*). */
export interface AccountEmail {
  kind: 'invitation' | 'role_added';
  to: string;
  language: Language;
  /** A path of the app: `/invite/<token>` or `/`. */
  path: string;
  inviter: string;
  role: Role;
  organisation: OrganisationNames;
  authority: OrganisationNames;
}

/**
 * An email's params are shared by both languages, so the role and the organisation are named in both
 * ("head teacher / pennaeth"), the recipient's language first.
 */
export function toEmailMessage(email: AccountEmail, link: string): EmailMessage {
  const both = (en: string, cy: string) =>
    en === cy ? en : email.language === 'cy' ? `${cy} / ${en}` : `${en} / ${cy}`;
  const names = (o: OrganisationNames) => both(o.name, o.nameCy ?? o.name);
  return {
    to: email.to,
    language: email.language,
    kind: email.kind,
    link,
    params: {
      inviter: email.inviter,
      role: both(translate('en', `roles.${email.role}`), translate('cy', `roles.${email.role}`)),
      organisation: names(email.organisation),
      authority: names(email.authority),
    },
  };
}
