package io.rebound.config;

/** Process exit codes shared by every Rebound command, after BSD sysexits.h so that init systems can tell them apart. */
public final class ExitCodes {
    /** Clean exit, also after a graceful stop on SIGTERM. */
    public static final int OK = 0;
    /** A failure at run time (a port already in use, an I/O error): worth restarting. */
    public static final int FAILURE = 1;
    /** EX_USAGE: the command line is wrong (unknown command, missing argument). */
    public static final int USAGE = 64;
    /** EX_NOUSER: a name given on the command line names nothing (an unknown server); nothing was changed. */
    public static final int NO_SUCH_NAME = 67;
    /** EX_UNAVAILABLE: a service the command needs did not answer (for example `status` with no supervisor). */
    public static final int UNAVAILABLE = 69;
    /** EX_TEMPFAIL: what the command waited for did not happen in time (try again later). */
    public static final int TIMED_OUT = 75;
    /** EX_CONFIG: the configuration is invalid. Restarting cannot help, so the supervisor does not. */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
