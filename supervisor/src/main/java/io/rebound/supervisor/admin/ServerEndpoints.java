package io.rebound.supervisor.admin;

import static io.rebound.admin.JsonText.quote;

import io.rebound.balance.ServerState;
import io.rebound.supervisor.runtime.ServerControl;
import io.rebound.supervisor.runtime.ServerControl.Change;
import io.rebound.supervisor.runtime.ServerControl.UnknownServerException;
import io.rebound.supervisor.runtime.ServersView;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The supervisor's runtime server control: {@code GET /servers} ({@link ServersView}), and the changes, POST only:
 * {@code POST /servers/NAME/state} with {@code ready}, {@code drain} or {@code maint} as body, {@code POST
 * /servers/NAME/weight} with 1 to 256. Answers are JSON: 200 {@code {"server", "before", "after", "changed",
 * "generation", "proxiesTold"}}; 404 {@code {"error"}} for an unknown server, 400 for a bad state or weight, 500 when
 * the state file cannot be written; none of these changes anything. Each change is logged once with its source: the
 * request, the peer and its User-Agent.
 */
final class ServerEndpoints {
    /** "maint" or "256" with a line end and room for blanks: a longer body is neither. */
    private static final int MAX_BODY = 32;

    private final ServerControl control;

    ServerEndpoints(ServerControl control) {
        this.control = control;
    }

    void addTo(RoutingHandler routes) {
        routes.get("/servers", SupervisorAdmin.blocking(exchange -> SupervisorAdmin.send(exchange, "application/json",
                        ServersView.render(control))))
                .post("/servers/{name}/state", SupervisorAdmin.blocking(this::setState))
                .post("/servers/{name}/weight", SupervisorAdmin.blocking(this::setWeight));
    }

    private void setState(HttpServerExchange exchange) throws IOException {
        String body = body(exchange);
        ServerState state;
        try {
            state = ServerState.parse(body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "..." : body);
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        }
        String name = name(exchange);
        apply(exchange, name, () -> control.setState(name, state, source(exchange)));
    }

    private void setWeight(HttpServerExchange exchange) throws IOException {
        String body = body(exchange).strip();
        int weight;
        try {
            if (!body.matches("[0-9]{1,4}")) {
                throw new NumberFormatException();
            }
            weight = Integer.parseInt(body);
        } catch (NumberFormatException e) {
            error(exchange, StatusCodes.BAD_REQUEST, "weight: '" + abbreviate(body) + "' (expected: 1-256)");
            return;
        }
        String name = name(exchange);
        apply(exchange, name, () -> control.setWeight(name, weight, source(exchange)));
    }

    private interface ChangeCall {
        Change run() throws IOException;
    }

    private static void apply(HttpServerExchange exchange, String name, ChangeCall call) {
        Change change;
        try {
            change = call.run();
        } catch (UnknownServerException e) {
            error(exchange, StatusCodes.NOT_FOUND, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
            return;
        } catch (IOException e) {
            error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "cannot write the state file: " + e.getMessage()
                    + "; nothing changed");
            return;
        }
        SupervisorAdmin.send(exchange, "application/json", "{\"server\": " + quote(name)
                + ", \"before\": " + quote(change.before().describe())
                + ", \"after\": " + quote(change.after().describe())
                + ", \"state\": " + quote(change.after().state().word())
                + ", \"changed\": " + change.changed()
                + ", \"generation\": " + change.generation()
                + ", \"proxiesTold\": " + change.proxiesTold() + "}\n");
    }

    private static String name(HttpServerExchange exchange) {
        return exchange.getQueryParameters().get("name").getFirst();
    }

    /** Who asked, for the change's log line: the request, the peer and its User-Agent (the CLI names its user). */
    private static String source(HttpServerExchange exchange) {
        String agent = exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
        return exchange.getRequestMethod() + " " + exchange.getRequestPath() + " from "
                + exchange.getSourceAddress().getAddress().getHostAddress() + ":" + exchange.getSourceAddress().getPort()
                + (agent == null ? "" : ", " + abbreviate(agent));
    }

    private static String body(HttpServerExchange exchange) throws IOException {
        exchange.startBlocking();
        try (InputStream in = exchange.getInputStream()) {
            return new String(in.readNBytes(MAX_BODY + 1), StandardCharsets.UTF_8);
        }
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("[\\p{Cntrl}]", "?");
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        SupervisorAdmin.send(exchange, "application/json", "{\"error\": " + quote(message) + "}\n");
    }
}
