package io.rebound.proxy;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * A server connection that removes the X-Forwarded-* headers from each request before sending it, for
 * {@code forwarded-for = off}: Undertow's {@code ProxyHandler} adds them unconditionally. Everything else is passed on.
 */
final class WithoutForwardedHeaders extends DelegatingClientConnection {

    WithoutForwardedHeaders(ClientConnection delegate) {
        super(delegate);
    }

    @Override
    public void sendRequest(ClientRequest request, ClientCallback<ClientExchange> callback) {
        HeaderMap headers = request.getRequestHeaders();
        headers.remove(Headers.X_FORWARDED_FOR);
        headers.remove(Headers.X_FORWARDED_PROTO);
        headers.remove(Headers.X_FORWARDED_HOST);
        headers.remove(Headers.X_FORWARDED_PORT);
        headers.remove(Headers.X_FORWARDED_SERVER);
        delegate.sendRequest(request, callback);
    }
}
