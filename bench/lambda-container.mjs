/**
 * One Lambda container for the deployed-path bench (plain JavaScript, so that nothing but the bundle and
 * Node is loaded): imports the bundled handler as the Node runtime does, then runs the invocations the
 * parent sends over IPC one at a time, each with a context whose getRemainingTimeInMillis counts down to
 * the function's timeout. Reports the module-load CPU once, then per invocation the handler's answer, the
 * CPU it used (user + system, this process only) and the RSS.
 *
 *   fork('bench/lambda-container.mjs', [bundlePath, timeoutMs], { env: the function's environment })
 */
import { randomUUID } from 'node:crypto';

const [bundlePath, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg);

const before = process.cpuUsage();
const { handler } = await import(bundlePath);
const load = process.cpuUsage(before);
let last = process.cpuUsage();
process.send({ type: 'ready', loadCpuMs: (load.user + load.system) / 1000, rss: process.memoryUsage().rss });

let queue = Promise.resolve();
process.on('message', (message) => {
  if (message.type === 'stop') {
    // Open keep-alive sockets would keep the process alive; exiting also writes a --cpu-prof profile.
    queue.then(() => process.exit(0));
    return;
  }
  // Lambda runs one invocation per container at a time.
  queue = queue.then(async () => {
    const deadline = Date.now() + timeoutMs;
    const awsRequestId = randomUUID();
    const context = {
      awsRequestId,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'send',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    };
    let response;
    let error;
    try {
      response = await handler(message.event, context);
    } catch (e) {
      error = String(e?.stack ?? e);
    }
    const cpu = process.cpuUsage(last);
    last = process.cpuUsage();
    process.send({
      type: 'done',
      id: message.id,
      response,
      error,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: process.memoryUsage().rss,
      overran: Date.now() > deadline,
    });
  });
});
