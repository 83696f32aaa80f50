export { main } from './main.js';
// The simulator as a library: the server benchmark drives its load with it.
export { simulateClass, type SimulateOptions, type SimulatedClass } from './simulate.js';
