import { openDatabase } from '@smartsession/server';
console.log('x');
const d = await openDatabase({ dataDir: '/tmp/ss-pg10' });
console.log('opened');
await d.close();
