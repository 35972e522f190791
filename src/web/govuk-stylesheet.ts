import { Request, Response } from 'express';
import { readFileSync } from 'node:fs';

/**
 * govuk-frontend's compiled stylesheet declares the GDS Transport font (`@font-face` rules pointing at
 * /assets/fonts/*.woff2). That font is licensed for GOV.UK services only, so it is not served here:
 * every browser that rendered bold text asked for it and got a 404. Serve the stylesheet without those
 * rules instead (app.css sets Arial throughout).
 */
export function withoutFontFaces(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*\}/g, '');
}

/** An Express handler that answers with govuk-frontend's stylesheet, read once, minus its font faces. */
export function govukStylesheetHandler(path: string): (request: Request, response: Response) => void {
  const css = withoutFontFaces(readFileSync(path, 'utf8'));
  return (_request, response) => {
    response.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    response.send(css);
  };
}
