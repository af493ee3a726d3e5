// Preloaded into the runner by crash.e2e.test.ts (NODE_OPTIONS=--import): SIGKILLs the process
// just before its Nth file-system step, so a test can stop a run at every step of a save in turn,
// which a timer cannot aim at.
//
// KILL_AT_FS_CALL=N counts the sync calls that change what is on disk (an open for writing, a
// mkdir of a new folder, a rename), from the first one whose path has KILL_AT_FS_AFTER in it;
// N = 0 is that call itself. Calls that change nothing (a folder opened to fsync it, a mkdir of
// a folder that exists) leave the same state as the step before, so they are not counted.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import process from 'node:process';

const target = Number(process.env.KILL_AT_FS_CALL);
const trigger = process.env.KILL_AT_FS_AFTER ?? '';
let counting = false;
let count = 0;

const changesDisk = {
  openSync: (_path, flags = 'r') => flags !== 'r',
  mkdirSync: (path) => !fs.existsSync(path),
  renameSync: () => true,
};

for (const [name, changes] of Object.entries(changesDisk)) {
  const original = fs[name];
  fs[name] = function (...args) {
    if (changes(...args)) {
      if (!counting && args.some((arg) => typeof arg === 'string' && arg.includes(trigger))) counting = true;
      if (counting && count++ === target) process.kill(process.pid, 'SIGKILL');
    }
    return original.apply(this, args);
  };
}
// The runner imports named bindings from node:fs; this points them at the wrappers.
syncBuiltinESMExports();
