/**
 * Starts the simulators and a gateway as child processes (`npm run simulators`, `npm start`), so the
 * load generator, the gateway and the backends do not share one event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../', import.meta.url).pathname;

function startChild(script: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
}

export interface BenchStack {
  /** The env that configures a gateway for the simulators. */
  backendEnv: Record<string, string>;
  gatewayUrl: string;
  gatewayPid: number;
  stop(): Promise<void>;
}

export async function startBenchStack(options: { simEnv?: Record<string, string>; gatewayEnv?: Record<string, string> } = {}): Promise<BenchStack> {
  const sims = await startChild(
    'src/simulators/main.ts',
    // Every registered backend's simulator on a free port.
    { SIM_PORT_BASE: '0', SIM_RATE_LIMITS: 'off', ...options.simEnv },
    /^Simulators ready\.$/m,
  );
  const backendEnv: Record<string, string> = {};
  for (const line of sims.output().split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) backendEnv[m[1]] = m[2];
  }
  const gateway = await startChild('src/server/main.ts', { ...backendEnv, PORT: '0', ...options.gatewayEnv }, /listening on (\S+)/);
  const gatewayUrl = /listening on (\S+)/.exec(gateway.output())![1];
  const stopChild = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM'))));
  return {
    backendEnv,
    gatewayUrl,
    gatewayPid: gateway.child.pid!,
    stop: async () => {
      await stopChild(gateway.child);
      await stopChild(sims.child);
    },
  };
}
