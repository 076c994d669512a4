import 'reflect-metadata';
import { createApp, shutdown } from './bootstrap.js';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { prepareToStart, readyLine, type StartMode } from './start-steps.js';
import { DependencyError } from './startup-checks.js';

type Mode = StartMode;
const say = (line: string) => process.stdout.write(`scf: ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`scf: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const mode: Mode = process.argv.includes('--worker') ? 'worker' : process.argv.includes('--migrate-only') ? 'migrate' : 'web';
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration: ${error.message}`);
    throw error;
  }
  try {
    await prepareToStart(config, mode, say, { seed: seedDemoIfEmpty });
  } catch (error) {
    if (error instanceof DependencyError) fail(error.message);
    throw error;
  }
  if (mode === 'migrate') return;

  say(mode === 'web' ? 'starting the web server…' : 'starting the worker…');
  const app = await createApp(config, { workers: mode === 'worker' || config.workers });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`scf: ${signal}: finishing requests and jobs in progress, then stopping\n`);
      shutdown(app).then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`scf: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
  if (mode === 'web') {
    await app.listen({ port: config.port, host: '0.0.0.0' });
    say(`serving on port ${config.port} (background jobs ${config.workers ? 'run in this process' : 'need "npm run worker"'})`);
    say(readyLine(config));
  } else {
    say('worker running: it sends emails and runs scheduled jobs');
  }
}

main().catch((error: unknown) => {
  // Last resort: one line, not a stack trace, for an operator; the detail goes to stderr as JSON.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`scf: failed to start: ${message}\n`);
  if (process.env.LOG_LEVEL === 'debug') console.error(error);
  process.exit(1);
});
