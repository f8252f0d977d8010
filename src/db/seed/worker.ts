/**
 * Runs the demo generator on its own thread, so that generating rows (this thread) and
 * ingesting them (Postgres) use both cores. Batches go to the loader one at a time; the
 * worker waits for an acknowledgement before producing more than one batch ahead, so memory
 * stays bounded whatever the number of candidates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateDemo, type CopyBatch, type DemoOptions, type DemoProgress } from './generate.js';

export type WorkerRequest = { candidates: number; seed: number; asOf: string };
export type WorkerMessage =
  | { type: 'batch'; batches: CopyBatch[]; progress?: DemoProgress }
  | { type: 'progress'; progress: DemoProgress }
  | { type: 'done'; result: Awaited<ReturnType<typeof generateDemo>> }
  | { type: 'error'; message: string; stack?: string };

if (parentPort) {
  const port = parentPort;
  const request = workerData as WorkerRequest;
  const options: DemoOptions = { candidates: request.candidates, seed: request.seed, asOf: new Date(request.asOf) };
  const acknowledged = () => new Promise<void>((resolve) => port.once('message', () => resolve()));
  generateDemo(options, {
    async write(batches) {
      const ack = acknowledged();
      port.postMessage({ type: 'batch', batches } satisfies WorkerMessage);
      await ack;
    },
  }, (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage)).then(
    (result) => port.postMessage({ type: 'done', result } satisfies WorkerMessage),
    (error: Error) => port.postMessage({ type: 'error', message: error.message, stack: error.stack } satisfies WorkerMessage),
  );
}
