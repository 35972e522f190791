import { readFileSync } from 'node:fs';
import type * as Axe from 'axe-core';
import { Page } from 'playwright-core';

/**
 * axe-core, WCAG 2.1 A/AA plus the page-structure rules (landmarks, one h1, heading order, duplicate
 * ids), as test/browser/accessibility.browser-spec.ts runs it for every page: the journeys' own checks.
 * Evaluated through the DevTools protocol, so the app's CSP stays on.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const rules: Axe.RuleObject = {};
    for (const rule of ['region', 'landmark-one-main', 'page-has-heading-one', 'heading-order', 'duplicate-id'])
      rules[rule] = { enabled: true };
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules,
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
