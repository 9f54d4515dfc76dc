package io.rebound.supervisor;

/**
 * How a child process ended, as {@link Process#exitValue()} reports it: on Unix a death by signal N reads as 128 + N
 * (the shell's convention), so an exit value from 129 to 192 is taken as a signal. The proxy itself exits only with
 * 0, 1 or 78.
 *
 * @param pid the child's process id
 * @param exitValue the value {@link Process#exitValue()} returned
 * @param epochMillis wall-clock time the supervisor saw the end, for display
 */
public record ChildExit(long pid, int exitValue, long epochMillis) {
    private static final int SIGNAL_BASE = 128;
    private static final int HIGHEST_SIGNAL = 64;

    public boolean bySignal() {
        return exitValue > SIGNAL_BASE && exitValue <= SIGNAL_BASE + HIGHEST_SIGNAL;
    }

    /** The signal number when {@link #bySignal()}, else 0. */
    public int signal() {
        return bySignal() ? exitValue - SIGNAL_BASE : 0;
    }

    /** "exit code 3" or "signal 9 (KILL)": what an operator reads in the log and in {@code rebound status}. */
    public String describe() {
        return bySignal() ? "signal " + signal() + signalName(signal()) : "exit code " + exitValue;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (HUP)";
            case 2 -> " (INT)";
            case 6 -> " (ABRT)";
            case 9 -> " (KILL)";
            case 11 -> " (SEGV)";
            case 15 -> " (TERM)";
            default -> "";
        };
    }
}
