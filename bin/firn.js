#!/usr/bin/env node
// Launcher for the `firn` CLI; the TypeScript is compiled to dist/ by `npm run build`.
import { processIo, runCli } from '../dist/services/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
