import { parseFloorOptions } from './floor-options';

describe('bench:floor options', () => {
  it('measures SQLite with 10 and 50 clients for 5 seconds when given nothing', () => {
    expect(parseFloorOptions([])).toEqual({
      engine: 'sqlite',
      clients: [10, 50],
      duration: 5,
      only: undefined,
      json: undefined,
      bareClients: undefined,
      port: undefined,
    });
  });

  it('reads every option', () => {
    expect(
      parseFloorOptions([
        '--engine',
        'postgres',
        '--clients',
        '50',
        '--duration',
        '2.5',
        '--only',
        'select,insert',
        '--json',
        '/tmp/floor.json',
        '--bare-clients',
        '0',
        '--port',
        '4204',
      ]),
    ).toEqual({
      engine: 'postgres',
      clients: [50],
      duration: 2.5,
      only: ['select', 'insert'],
      json: '/tmp/floor.json',
      bareClients: 0,
      port: 4204,
    });
  });

  it.each([
    [['--engine', 'mysql'], /--engine is sqlite or postgres/],
    [['--clients', '10,0'], /--clients/],
    [['--clients', 'ten'], /--clients/],
    [['--duration', '0'], /--duration/],
    [['--duration'], /--duration needs a value/],
    [['--duration', '--clients', '10'], /--duration needs a value/],
    [['--port', '70000'], /--port/],
    [['--bare-clients', '-1'], /--bare-clients/],
    [['--only', 'chronology'], /--only matches no route/],
    [['--workers', '2'], /Unknown option --workers/],
    [['postgres'], /Unexpected argument postgres/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFloorOptions(argv)).toThrow(message);
  });
});
