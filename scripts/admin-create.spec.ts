import { readArguments } from './admin-create';

describe('npm run admin:create arguments', () => {
  it('reads the email, name, authority and optional 3-digit authority code', () => {
    expect(
      readArguments([
        '--email',
        'a@la.example',
        '--name',
        'Ann',
        '--authority',
        'Cardiff Council',
        '--authority-code',
        '681',
      ]),
    ).toEqual({ email: 'a@la.example', name: 'Ann', authority: 'Cardiff Council', authorityCode: '681' });
  });

  it('names every problem: missing, malformed email, a code that is not 3 digits, an unknown option', () => {
    expect(readArguments(['--email', 'not-an-email', '--authority-code', '6812'])).toEqual([
      '--email must be an email address',
      '--name is required',
      '--authority is required',
      '--authority-code must be the 3-digit local authority number (Cardiff: 681)',
    ]);
    expect(readArguments(['--email', 'x@y.example', '--name', 'N', '--authority', 'A', '--colour', 'red'])).toEqual([
      expect.stringContaining('--colour'),
    ]);
  });
});
