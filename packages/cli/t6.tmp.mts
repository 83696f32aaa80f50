console.log('a');
const m = await import('@smartsession/server');
console.log('b', Object.keys(m));
const s = await import('./src/simulate.ts');
console.log('c', Object.keys(s));
