#!/usr/bin/env node
/**
 * `backprop-sweeper <command> …`, the package's one command: sweep, merge and mnist run the same programs as
 * `npm run sweep|merge|mnist -- …` in the repository (same arguments, outputs, messages and exit codes); serve serves
 * the built page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BIN_ENV } from './invocation';

const COMMANDS: Record<string, string> = {
  sweep: 'run a sweep spec headless: results.json and figures (sweep --help)',
  merge: 'join the parts of a sharded sweep (merge --help)',
  mnist: 'train MNIST networks over a grid of settings (mnist --help)',
  serve: 'serve the page on this machine and print its URL (serve --help)',
};

const version = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const usage = (): string => `backprop-sweeper ${version()}\nusage: backprop-sweeper <command> [arguments]\n\n${Object.entries(COMMANDS).map(([c, what]) => `  ${c.padEnd(6)}  ${what}`).join('\n')}\n\n  --help, --version`;

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') console.log(usage());
else if (command === '--version' || command === '-v') console.log(version());
else if (!(command in COMMANDS)) {
  process.stderr.write(`unknown command "${command}"; expected one of ${Object.keys(COMMANDS).join(', ')}\n\n${usage()}\n`);
  process.exit(2);
} else if (command === 'serve') {
  await (await import('./serve.js')).serve(rest);
} else {
  // As the npm scripts do: Dawn finds SwiftShader's Vulkan driver on machines without a GPU (read when Dawn loads).
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (command !== 'merge' && process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;
  if (command !== 'merge') process.env.XDG_RUNTIME_DIR ??= '/tmp';
  process.argv.splice(2, 1); // the program sees its own arguments, as under npm run
  process.env[BIN_ENV] = '1'; // its usage and hints name this command, not the repository's npm scripts
  await import(`./${command === 'sweep' ? 'main' : command}.js`);
}
