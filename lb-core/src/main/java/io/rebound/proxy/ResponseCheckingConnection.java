package io.rebound.proxy;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server connection for one client exchange that judges the server's response before {@code ProxyHandler} sees it.
 * A response refused here gets the client a 502, and its server connection is reset, never reused:
 * <ul>
 * <li>a head whose framing is ambiguous ({@link BodyFraming#problem});</li>
 * <li>a head that Undertow could not parse, or that the server cut: the request's exchange fails after response bytes
 * came ({@link ResponseFramingConduit#answering()});</li>
 * <li>body bytes that came with the head and break the chunked framing ({@link ResponseFramingConduit#bodyFollows}).
 * </li>
 * </ul>
 * {@code ProxyHandler} never hears of a refused response, so it neither retries the request (the server got it and
 * answered) nor answers a second time. A failure it caused itself (its timeout or a retry closing the connection), or
 * that comes once the response went on to the client, goes on to it as before: after the response started it closes
 * the client's connection, so the client sees an incomplete message.
 */
final class ResponseCheckingConnection extends DelegatingClientConnection {
    static final String BAD_GATEWAY = "502 Bad Gateway: invalid response from the server\n";
    private static final Logger log = LoggerFactory.getLogger(ResponseCheckingConnection.class);

    private final ResponseFramingConduit responses;
    private final HttpServerExchange exchange;
    private final String server;
    /** {@code ProxyHandler} or the retry closed the connection: the failure that follows is theirs to handle. */
    private boolean closing;

    /**
     * @param delegate  the connection to send on, one that resets the socket when closed
     * @param responses the raw response bytes of {@code delegate}'s socket
     * @param exchange  the client's exchange, which this connection answers with 502
     * @param server    the server's name, for the log
     */
    ResponseCheckingConnection(ClientConnection delegate, ResponseFramingConduit responses,
                               HttpServerExchange exchange, String server) {
        super(delegate);
        this.responses = responses;
        this.exchange = exchange;
        this.server = server;
    }

    @Override
    public void sendRequest(ClientRequest request, ClientCallback<ClientExchange> callback) {
        responses.requestSent();
        delegate.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange sent) {
                callback.completed(new CheckedExchange(sent));
            }

            @Override
            public void failed(IOException e) {
                callback.failed(e);
            }
        });
    }

    @Override
    public void close() throws IOException {
        closing = true;
        delegate.close();
    }

    /** The exchange as {@code ProxyHandler} sees it, and the response listener in front of {@code ProxyHandler}'s. */
    private final class CheckedExchange extends DelegatingClientExchange implements ClientCallback<ClientExchange> {
        private ClientCallback<ClientExchange> next;
        /** {@code ProxyHandler} has the response: what fails from now on is for it to handle. */
        private boolean forwarded;
        private boolean refused;

        CheckedExchange(ClientExchange delegate) {
            super(delegate);
        }

        @Override
        public ClientConnection getConnection() {
            return ResponseCheckingConnection.this;
        }

        @Override
        public void setResponseListener(ClientCallback<ClientExchange> listener) {
            next = listener;
            delegate.setResponseListener(listener == null ? null : this);
        }

        @Override
        public void completed(ClientExchange received) {
            if (refused) {
                return;
            }
            ClientResponse response = received.getResponse();
            String problem = BodyFraming.problem(response.getResponseHeaders());
            if (problem == null) {
                problem = responses.bodyFollows(BodyFraming.of(received.getRequest().getMethod(), response));
            }
            if (problem != null) {
                refuse(problem);
                return;
            }
            forwarded = true;
            next.completed(this);
        }

        @Override
        public void failed(IOException e) {
            if (refused) {
                return;
            }
            if (!forwarded && !closing && responses.answering()) {
                refuse("response head not accepted: " + (e.getCause() != null ? e.getCause() : e.getMessage()));
                return;
            }
            next.failed(e);
        }

        private void refuse(String problem) {
            refused = true;
            log.warn("Server {} sent an invalid response to {} {}: {}; answered 502 and reset the connection", server,
                    exchange.getRequestMethod(), exchange.getRequestURI(), problem);
            AbortingClientConnection.abort(ResponseCheckingConnection.this.delegate);
            if (!exchange.isResponseStarted()) {
                PlainText.send(exchange, StatusCodes.BAD_GATEWAY, BAD_GATEWAY);
            }
        }
    }
}
