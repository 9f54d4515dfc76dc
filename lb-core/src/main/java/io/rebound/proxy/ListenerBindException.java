package io.rebound.proxy;

/** A listener could not bind its address (in use, not local, no permission): a run-time failure, exit code 1. */
public final class ListenerBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerBindException(String message, Throwable cause) {
        super(message, cause);
    }
}
