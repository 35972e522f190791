import { Language, LANGUAGES, MessageParam } from '../common/language';
import { translateMessage } from '../i18n/i18n.service';

/**
 * What an email says, in no language yet. `kind` names its words in the catalogues
 * (`emails.<kind>.subject` and `emails.<kind>.body`, with `{link}` and the params filled in).
 * Emails carry no pupil's name and no concern content: only what kind of thing happened, where, and
 * a link to sign in and see it (params must hold nothing else).
 */
export interface EmailMessage {
  to: string;
  /** The recipient's language: said first, the other language after it. */
  language: Language;
  kind: string;
  /** An absolute link (Mailer.link makes one from a path). */
  link: string;
  /**
   * Filled into both languages' words, each in its own: a label as a message (`message('roles.dsp')`),
   * a name with a Welsh form as `{name, nameCy}`, plain text as it is.
   */
  params?: Record<string, MessageParam>;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Both languages, the recipient's first; the subject in both so either reader knows what it is at a glance. */
export function renderEmail(email: EmailMessage): RenderedEmail {
  const order: Language[] = [email.language, ...LANGUAGES.filter((language) => language !== email.language)];
  const params: Record<string, MessageParam> = { ...email.params, link: email.link };
  const say = (language: Language, key: string) => translateMessage(language, { key, params });
  const parts = order.map((language) => ({
    language,
    subject: say(language, `emails.${email.kind}.subject`),
    body: say(language, `emails.${email.kind}.body`),
    footer: say(language, 'emails.footer'),
  }));
  const subject = parts.map((part) => part.subject).join(' / ');
  const text = parts.map((part) => `${part.body}\n\n${part.footer}`).join('\n\n----------\n\n');
  const html = parts
    .map(
      (part) =>
        `<div lang="${part.language}">${part.body
          .split(/\n{2,}/)
          .map((paragraph) => `<p>${linkify(escapeHtml(paragraph), email.link)}</p>`)
          .join('')}<p><small>${escapeHtml(part.footer)}</small></p></div>`,
    )
    .join('<hr>');
  return { subject, text, html: `<!doctype html><html><body>${html}</body></html>` };
}

function linkify(escapedParagraph: string, link: string): string {
  const escapedLink = escapeHtml(link);
  return escapedParagraph.split(escapedLink).join(`<a href="${escapedLink}">${escapedLink}</a>`);
}
