import { bestCommand } from './best.js'
import { doctorCommand } from './doctor.js'
import type { Command } from './registry.js'
import { showCommand } from './show.js'
import { verifyCommand } from './verify.js'

/** The human commands about accounts: `show`, `best`, `verify`, `doctor` (one registry entry). */
export const inspectCommands: Command = (y, done) =>
  [showCommand, bestCommand, verifyCommand, doctorCommand].reduce((p, add) => add(p, done), y)
