import { parseArgs } from 'node:util';
import { defaultScenarioName, scenarios } from './scenarios.js';

/**
 * @typedef {object} DemoOptions
 * @property {import('./scenarios.js').Scenario} scenario
 * @property {number} durationSeconds  Length of each run (Detour, then the two naive runs).
 * @property {number} rate  Requests per second.
 * @property {string} reportPath  Where the HTML report is written.
 * @property {number} seed  Seed of the upstreams' fault and latency draws.
 */

export const usage = `Usage: pnpm demo [options]   (or: pnpm --filter @detour/demo start -- [options])

  --scenario <name>   ${Object.keys(scenarios).join(' | ')} (default ${defaultScenarioName})
  --duration <s>      length of each of the three runs, in seconds (default: the scenario's)
  --rate <req/s>      requests per second, scheduled evenly (default: the scenario's)
  --report <path>     HTML report file (default apps/demo/reports/demo-report.html)
  --seed <n>          seed of the upstreams' fault and latency draws (default 7)
  --help              this text`;

const positiveNumber = (value, name, { max }) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > max) throw new Error(`--${name} must be a number above 0 and at most ${max}, not "${value}"`);
  return number;
};

/**
 * Reads the command line. Throws an Error with a one-line message on bad input; returns undefined for `--help`.
 *
 * @param {string[]} argv  Arguments after the script name.
 * @param {string} defaultReportPath
 * @returns {DemoOptions | undefined}
 */
export const parseCliArgs = (argv, defaultReportPath) => {
  // pnpm passes a literal `--` through when users write `pnpm demo -- --rate 5`; it means nothing here.
  const { values } = parseArgs({
    args: argv.filter((argument) => argument !== '--'),
    options: {
      scenario: { type: 'string' },
      duration: { type: 'string' },
      rate: { type: 'string' },
      report: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const name = values.scenario ?? defaultScenarioName;
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario "${name}"; choose one of: ${Object.keys(scenarios).join(', ')}`);
  return {
    scenario,
    durationSeconds: values.duration === undefined ? scenario.durationSeconds : positiveNumber(values.duration, 'duration', { max: 600 }),
    rate: values.rate === undefined ? scenario.rate : positiveNumber(values.rate, 'rate', { max: 500 }),
    reportPath: values.report ?? defaultReportPath,
    seed: values.seed === undefined ? 7 : Math.trunc(positiveNumber(values.seed, 'seed', { max: 2 ** 31 })),
  };
};
