import { readFileSync } from 'node:fs';

/** What the README says about running the service, checked against the files that decide it. */
const readme = readFileSync('README.md', 'utf8');
const section = (heading: string) => {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const rest = readme.slice(start + 1);
  const end = rest.indexOf('\n## ', 3);
  return end < 0 ? rest : rest.slice(0, end);
};
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe('README', () => {
  it('names the supported Node.js versions in the quick start: the engines minimum, the Docker image and the LTS CI tests on', () => {
    const quickStart = oneLine(section('Quick start'));
    const line = /\*\*Supported Node\.js versions:\*\*([^*]+?)\. Prerequisites/.exec(quickStart)?.[1];
    expect(line).toBeDefined();
    const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
    const minimum = /(\d+)\.(\d+)/.exec(engines)!;
    expect(line).toContain(`Node.js ${minimum[1]} (${minimum[1]}.${minimum[2]} or later`);
    const dockerMajor = /^FROM node:(\d+)/m.exec(readFileSync('Dockerfile', 'utf8'))![1];
    const ciMajor = /node@(\d+)/.exec(readFileSync('.ci/run', 'utf8'))![1];
    expect(ciMajor).toBe(dockerMajor);
    expect(line).toContain(`Node.js ${ciMajor}, the current LTS`);
  });

  it('says under "Running on several machines" that the sign-in fallback limiter is per process', () => {
    const throttle = readFileSync('src/auth/sign-in-throttle.ts', 'utf8');
    expect(throttle).toContain('insuranceLimiter: new RateLimiterMemory');
    const text = oneLine(section('Running on several machines'));
    expect(text).toMatch(/falls back to its own in-memory \(insurance\) limiter, so the limits become per process/);
    expect(text).toMatch(/with N web processes .* N times the attempts/);
  });
});
