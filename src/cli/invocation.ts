/**
 * What a user types to run one of the commands, for usage texts and "continue with …" hints: the package's command
 * (`backprop-sweeper sweep`) when started through its bin (src/cli/bin.ts sets BIN_ENV), else the repository's npm
 * script (`npm run sweep --`).
 */
export const BIN_ENV = 'BACKPROP_SWEEPER_BIN';

export type CommandName = 'sweep' | 'merge' | 'mnist' | 'paper';

export const command = (name: CommandName): string => (process.env[BIN_ENV] ? `backprop-sweeper ${name}` : `npm run ${name} --`);
