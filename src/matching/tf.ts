/**
 * TensorFlow.js with the fastest backend that loads here: the native one
 * (@tensorflow/tfjs-node, an optional dependency whose install downloads a library, which
 * fails on machines without internet) or else WebAssembly (@tensorflow/tfjs-backend-wasm,
 * ~35× faster than the pure-JS CPU backend for our matrix products). Same code either way.
 */
import type * as TF from '@tensorflow/tfjs';

let loaded: Promise<{ tf: typeof TF; backend: string }> | undefined;

export function loadTf(): Promise<{ tf: typeof TF; backend: string }> {
  loaded ??= (async () => {
    try {
      const tf = (await import('@tensorflow/tfjs-node' as string)) as typeof TF;
      await tf.ready();
      return { tf, backend: tf.getBackend() };
    } catch {
      const tf = await import('@tensorflow/tfjs');
      await import('@tensorflow/tfjs-backend-wasm');
      await tf.setBackend('wasm');
      await tf.ready();
      return { tf, backend: tf.getBackend() };
    }
  })();
  return loaded;
}
