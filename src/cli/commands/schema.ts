/** `newsbrief schema`: the brief format as JSON Schema, for editors' completion. */
import { briefJsonSchema } from '../../brief/brief-schema.js';
import type { Command } from '../command.js';

export const schemaCommand: Command = {
  help: `Usage: newsbrief schema

Prints the JSON Schema of the brief format. Point a brief's "$schema" at it
(the repository keeps a copy in brief.schema.json) for completion in your editor.`,
  options: {},
  async run(_args, io) {
    io.out(JSON.stringify(briefJsonSchema(), null, 2));
    return 0;
  },
};
