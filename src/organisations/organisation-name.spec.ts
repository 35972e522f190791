import { organisationName } from './organisation-name';

describe('organisationName', () => {
  it('gives a Welsh reader the Welsh name, and falls back to the English name when there is none', () => {
    expect(organisationName({ name: 'Riverside Primary', nameCy: 'Ysgol Gynradd Glan yr Afon' }, 'cy')).toBe(
      'Ysgol Gynradd Glan yr Afon',
    );
    expect(organisationName({ name: 'Riverside Primary', nameCy: 'Ysgol Gynradd Glan yr Afon' }, 'en')).toBe(
      'Riverside Primary',
    );
    expect(organisationName({ name: 'Riverside Primary', nameCy: null }, 'cy')).toBe('Riverside Primary');
  });
});
