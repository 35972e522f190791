/**
 * `npm run admin:create -- --email <email> --name "<name>" --authority "<LA name>" [--authority-code 681]`
 *
 * The first administrator of a local authority that starts from nothing (API.md, "First administrator"):
 * creates the local authority when none has that name, and an `admin` account in it, then prints a
 * one-time link `<APP_URL>/invite/<token>` (72 hours) to set the password. Uses the app's own
 * configuration (validated as at start) and applies any pending migrations first; never seeds the demo.
 * Exit 0 when created; 1 when the email already has an account or an argument is wrong; 2 when the
 * configuration or database stops it.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { isEmail } from 'class-validator';
import { AccountsService } from '../src/accounts/accounts.service';
import { AppModule } from '../src/app.module';
import { hasControlCharacters } from '../src/common/validation';
import { loadConfigOrExplain } from '../src/config/app-config';

const USAGE =
  'Usage: npm run admin:create -- --email <email> --name "<name>" --authority "<LA name>" [--authority-code 681]';

interface Arguments {
  email: string;
  name: string;
  authority: string;
  authorityCode?: string;
}

/** The arguments, or the problems with them (each a line to print). */
export function readArguments(argv: string[]): Arguments | string[] {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        authority: { type: 'string' },
        'authority-code': { type: 'string' },
      },
    }));
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  const text = (field: string, max: number) => {
    const value = values[field];
    if (value === undefined || value.trim() === '') problems.push(`--${field} is required`);
    else if (value.length > max) problems.push(`--${field} must be at most ${max} characters`);
    else if (hasControlCharacters(value)) problems.push(`--${field} must not contain control characters`);
    return value ?? '';
  };
  const email = text('email', 320);
  if (email && !problems.length && !isEmail(email)) problems.push('--email must be an email address');
  const name = text('name', 200);
  const authority = text('authority', 200);
  const authorityCode = values['authority-code'];
  if (authorityCode !== undefined && !/^\d{3}$/.test(authorityCode))
    problems.push('--authority-code must be the 3-digit local authority number (Cardiff: 681)');
  return problems.length ? problems : { email, name, authority, authorityCode };
}

async function main(): Promise<number> {
  const args = readArguments(process.argv.slice(2));
  if (Array.isArray(args)) {
    for (const problem of args) console.error(problem);
    console.error(USAGE);
    return 1;
  }
  const loaded = loadConfigOrExplain(process.env);
  if (!loaded) return 2;
  // Never the demo: this is how a real local authority starts.
  const config = { ...loaded, seed: { ...loaded.seed, demo: false } };
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error', 'warn'] });
  try {
    const created = await app.get(AccountsService).createFirstAdmin(args);
    if (!created) {
      console.error(
        `An account with the email ${args.email.trim().toLowerCase()} already exists: nothing was created.`,
      );
      return 1;
    }
    console.log(
      created.createdAuthority
        ? `Created the local authority "${args.authority}" and its administrator ${args.email.trim().toLowerCase()}.`
        : `Created the administrator ${args.email.trim().toLowerCase()} in the local authority "${args.authority}".`,
    );
    console.log('Open this link within 72 hours to set the password (it works once):');
    console.log(`${config.mail.appUrl}/invite/${created.token}`);
    return 0;
  } finally {
    await app.close();
  }
}

if (require.main === module)
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
