import { PGlite } from '@electric-sql/pglite';
console.log('x');
const c = await PGlite.create('/tmp/ss-pg9');
console.log('created');
await c.close();
