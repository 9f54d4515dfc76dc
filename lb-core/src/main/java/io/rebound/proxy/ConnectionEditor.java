package io.rebound.proxy;

import io.undertow.client.ClientConnection;

/** Gives {@code ProxyHandler} the server connection to send a request on, possibly wrapped to edit what is sent. */
@FunctionalInterface
interface ConnectionEditor {

    /** Sends requests unchanged. */
    ConnectionEditor NONE = connection -> connection;

    /** Sends requests without the X-Forwarded-* headers {@code ProxyHandler} always adds ({@code forwarded-for = off}). */
    ConnectionEditor WITHOUT_FORWARDED_HEADERS = WithoutForwardedHeaders::new;

    ClientConnection edit(ClientConnection connection);
}
