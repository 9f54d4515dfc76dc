package io.rebound.it;

/** A finished command: its exit code and everything it printed (stdout and stderr together). */
record CommandResult(int exitCode, String output) {
}
