/**
 * Ends the process when a command has finished and nothing else is on the event loop.
 *
 * Node would end it there as well, but first it runs every task V8 still has queued. After a
 * log scan of a thousand transcripts, that is a garbage collection of the old heap being
 * finished: 5 to 8 ms, spent on memory the exit frees anyway.
 *
 * Nothing is cut short. The exit is left to Node in any of these cases:
 * - a handle is still active (a timer that is not unref'd, a socket, a child process, a server);
 * - a request is in flight;
 * - output is still queued on stdout or stderr;
 * - stdin has a handle (a command may still be reading it).
 *
 * It runs as soon as the command's promise settles, before V8's tasks get their turn (deferred to
 * the next turn of the loop, the collection often runs first: 38 ms instead of 30.5 ms). So a
 * command must await its own work before it settles, as every command does: work still waiting
 * on a microtask has no handle to be seen by.
 *
 * `resources` and `streams` are for tests; by default they are the process's own.
 */
export function exitWhenIdle(
  resources: () => string[] = () => process.getActiveResourcesInfo(),
  streams: () => readonly NodeJS.WriteStream[] = () => [process.stdout, process.stderr],
  exit: () => void = () => process.exit(),
): boolean {
  const active = resources()
  let stdio = 0
  for (const r of active) {
    if (r !== 'TTYWrap' && r !== 'PipeWrap') return false
    stdio++
  }
  if (stdio > 0) {
    // Each of stdout and stderr that is a pipe or a terminal holds one of these handles (a file
    // is written synchronously and holds none). Any more handles must be stdin's.
    let own = 0
    for (const s of streams()) {
      if (s.writableLength > 0) return false
      if ((s as unknown as { _handle?: unknown })._handle) own++
    }
    if (stdio > own) return false
  }
  exit()
  return true
}
