import { startServer } from '@smartsession/server';
console.log('imported');
const s = await startServer({ port: 8125, dataDir: '/tmp/ss-demo7', logLevel: 'info' });
console.log('started', s.url);
await s.close();
