// Native TensorFlow backends are opt-in (`npm run setup:native`), so they may be absent: the
// engine imports them dynamically and only needs to know that importing them has side effects.
declare module '@tensorflow/tfjs-node-gpu';
declare module '@tensorflow/tfjs-node';
