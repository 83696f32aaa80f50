import { startServer } from '@smartsession/server';
const t = setInterval(() => console.log('tick', process.memoryUsage().rss >> 20), 2000);
const s = await startServer({ port: 8127, dataDir: '/tmp/ss-demo11', logLevel: 'debug' });
console.log('started', s.url);
clearInterval(t);
await s.close();
