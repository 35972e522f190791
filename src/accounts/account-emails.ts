import { Role } from '../common/roles';
import { EmailMessage } from '../mail/email-content';
import { Language, message } from '../common/language';
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

/** Each language's half of the email names the role and the places in that language. */
export function toEmailMessage(email: AccountEmail, link: string): EmailMessage {
  return {
    to: email.to,
    language: email.language,
    kind: email.kind,
    link,
    params: {
      inviter: email.inviter,
      role: message(`roles.${email.role}`),
      organisation: { name: email.organisation.name, nameCy: email.organisation.nameCy },
      authority: { name: email.authority.name, nameCy: email.authority.nameCy },
    },
  };
}
