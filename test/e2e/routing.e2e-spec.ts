import { bootTestApp, TestApp } from '../support/test-app';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Each route has one handler: a module imported twice would mount its controllers twice. */
describe('Routing', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
  });

  afterAll(() => testApp.close());

  it('mounts every route once', () => {
    const express = testApp.app.getHttpAdapter().getInstance() as {
      router?: { stack: RouteLayer[] };
      _router?: { stack: RouteLayer[] };
    };
    const stack = (express.router ?? express._router)?.stack ?? [];
    const routes = stack.flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).map((method) => `${method} ${layer.route?.path}`) : [],
    );
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((route, index) => routes.indexOf(route) !== index)).toEqual([]);
  });
});
