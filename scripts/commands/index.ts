// The command table. One line per command; the command's own file holds its help and logic.
import type { Command } from '../lib/io.js';
import { buildCommand } from './build.js';
import { verifyCommand } from './verify.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [buildCommand, verifyCommand, validateCommand];
