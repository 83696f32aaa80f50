import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainModelFailure, failedModels, requiredModels } from './model-check.js';

describe('failedModels', () => {
  const ok = (name: string) => ({ name, loaded: true, url: `/models/${name}.json` });
  it('lists required models flagged not loaded, missing from the stats or from the loaded list', () => {
    const want = requiredModels({ mesh: 'facemesh' });
    expect(want).toEqual(['blazeface', 'facemesh', 'iris']);
    const stats = [ok('blazeface'), { ...ok('facemesh'), loaded: false }, ok('iris')];
    const names = ['blazeface', 'facemesh', 'iris'];
    expect(failedModels(want, stats, names).map((f) => f.name)).toEqual(['facemesh']);
    expect(failedModels(want, stats.slice(0, 2), names).map((f) => f.name)).toEqual(['facemesh', 'iris']);
    expect(failedModels(want, [ok('blazeface'), ok('facemesh'), ok('iris')], names)).toEqual([]);
    expect(
      failedModels(want, [ok('blazeface'), ok('facemesh'), ok('iris')], ['blazeface', 'iris']),
    ).toHaveLength(1);
  });

  it('the attention mesh: its file name in the stats, its slot `facemesh` in the loaded list', () => {
    const want = requiredModels({});
    expect(want).toEqual(['blazeface', 'facemesh-attention-pinto']);
    const stats = [ok('blazeface'), ok('facemesh-attention-pinto')];
    expect(failedModels(want, stats, ['blazeface', 'facemesh'])).toEqual([]);
    expect(failedModels(want, stats, ['blazeface']).map((f) => f.name)).toEqual(['facemesh-attention-pinto']);
    expect(failedModels(want, [ok('blazeface')], ['blazeface', 'facemesh']).map((f) => f.name)).toEqual([
      'facemesh-attention-pinto',
    ]);
  });
});

describe('explainModelFailure over real HTTP', () => {
  let server: Server;
  let base = '';
  const answers: Record<string, [number, string]> = {
    '/m/good.json': [200, JSON.stringify({ weightsManifest: [{ paths: ['good.bin'] }] })],
    '/m/good.bin': [200, 'xx'],
    '/m/binless.json': [200, JSON.stringify({ weightsManifest: [{ paths: ['binless.bin'] }] })],
    '/m/garbled.json': [200, '<html>not json'],
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [code, body] = answers[req.url ?? ''] ?? [503, ''];
      res.writeHead(code).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const explain = (name: string) =>
    explainModelFailure({ name, loaded: false, url: `${base}/m/${name}.json` }, fetch);

  it('names the JSON or weight file that does not download, with the HTTP status', async () => {
    expect(await explain('missing')).toBe(
      `the model file ${base}/m/missing.json could not be downloaded (HTTP 503)`,
    );
    expect(await explain('binless')).toBe(
      `the model file ${base}/m/binless.bin could not be downloaded (HTTP 503)`,
    );
    expect(await explain('garbled')).toMatch(/garbled\.json is not a valid model description/);
    expect(await explain('good')).toMatch(/good\.json did not load \(its files download now/);
  });

  it('says network error when the host does not answer', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const why = await explainModelFailure(
      { name: 'x', loaded: false, url: `http://127.0.0.1:${port}/x.json` },
      fetch,
    );
    expect(why).toMatch(/x\.json could not be downloaded \(network error\)/);
  });
});
