package io.rebound.proxy;

import com.typesafe.config.Config;
import io.rebound.admin.AdminSettings;
import io.rebound.admin.AdminToken;
import io.rebound.balance.BalanceAlgorithm;
import io.rebound.balance.ServerSettings;
import io.rebound.check.CheckSettings;
import io.rebound.check.StatusRange;
import io.rebound.config.ConfigException;
import io.rebound.config.ConfigFiles;
import io.rebound.config.ConfigReader;
import io.rebound.config.ConfigText;
import io.rebound.config.HostPort;
import io.rebound.resolve.AddressMode;
import io.rebound.resolve.ResolverSettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code rebound.*} into {@link ProxySettings}, checking every value and the rules between values, and reports
 * all problems at once. {@code rebound.supervisor} belongs to the supervisor and is not looked at here.
 */
public final class ProxySettingsReader {
    private static final String ROOT = "rebound";
    private static final String SUPERVISOR = "rebound.supervisor";
    private static final Set<String> SERVER_KEYS = Set.of("name", "address", "weight", "check", "addresses", "max");
    /** Server names appear in logs and metric labels: keep them to letters, digits and {@code . _ -}. */
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern HTTP_METHOD = Pattern.compile("[A-Z]{1,20}");
    private static final Duration ONE_MILLI = Duration.ofMillis(1);
    /** Slots of one group; each is a server with its meters and connection pools, so keep the count sane. */
    private static final int MAX_GROUP = 1000;
    private static final long MAX_BODY = 1L << 40;
    /** Heads and buffers are arrays: keep them well inside an int. */
    private static final long MAX_HEAD = 64L << 20;

    private ProxySettingsReader() {
    }

    /** @throws ConfigException listing every problem, when there is any */
    public static ProxySettings read(Config config) {
        ConfigReader reader = new ConfigReader(config);
        reader.rejectUnknownKeys(ROOT, ConfigFiles.reference(), Set.of(SUPERVISOR));
        int problemsBefore = reader.problems().size();
        HostPort bind = reader.listenAddress("rebound.bind");
        HostPort adminBind = reader.listenAddress("rebound.admin.bind");
        if (reader.problems().size() == problemsBefore && overlap(bind, adminBind)) {
            reader.problem("rebound.admin.bind", adminBind.toString(), "a port other than rebound.bind's " + bind);
        }
        ProxySettings settings = new ProxySettings(
                frontend(reader, bind),
                new BackendSettings(
                        reader.oneOf("rebound.balance", BalanceAlgorithm.class),
                        servers(reader),
                        ResolverSettingsReader.read(reader),
                        check(reader)),
                new ForwardingSettings(
                        reader.bool("rebound.forwarded-for"),
                        reader.oneOf("rebound.server-connection", ServerConnectionMode.class),
                        reader.intInRange("rebound.max-connections-per-server", 0, 100_000),
                        new QueueSettings(reader.intInRange("rebound.queue.size", 0, 1_000_000),
                                reader.duration("rebound.queue.timeout", ONE_MILLI)),
                        reader.intInRange("rebound.retries", 0, 100)),
                timeouts(reader),
                new AdminSettings(adminBind, AdminToken.read(reader, "rebound.admin", adminBind)),
                new ProcessSettings(
                        reader.duration("rebound.drain-timeout", Duration.ZERO),
                        reader.bool("rebound.access-log"),
                        reader.intInRange("rebound.io-threads", 0, 1024)));
        reader.throwIfProblems();
        return settings;
    }

    private static boolean overlap(HostPort a, HostPort b) {
        return a.port() == b.port() && a.port() != 0
                && (a.host().equals(b.host()) || a.host().equals("0.0.0.0") || b.host().equals("0.0.0.0"));
    }

    private static List<ServerSettings> servers(ConfigReader reader) {
        List<ServerSettings> servers = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<ConfigReader> elements = reader.elements("rebound.servers", "rebound.default-server");
        if (elements.isEmpty() && reader.has("rebound.servers")) {
            reader.problem("rebound.servers", "[]", "at least one server, such as "
                    + "[ { name = apache1, address = \"10.0.0.11:80\" } ]");
        }
        for (int i = 0; i < elements.size(); i++) {
            ConfigReader element = elements.get(i);
            element.rejectUnknownKeys(SERVER_KEYS);
            String name = element.string("name");
            if (!name.isEmpty() && !SERVER_NAME.matcher(name).matches()) {
                element.problem("name", name, "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            Integer first = seen.putIfAbsent(name, i);
            if (first != null && !name.isEmpty()) {
                element.problem("name", name, "a unique server name; rebound.servers[" + first + "] has it already");
            }
            HostPort address = element.hostPort("address");
            int weight = element.intInRange("weight", 1, ServerSettings.MAX_WEIGHT);
            boolean check = element.bool("check");
            AddressMode mode = element.oneOf("addresses", AddressMode.class);
            int max = element.intInRange("max", 1, MAX_GROUP);
            if (name.isEmpty()) {
                continue;
            }
            if (mode == AddressMode.ONE) {
                servers.add(new ServerSettings(name, address, weight, check));
                continue;
            }
            if (address.isLiteral()) {
                element.problem("address", address.toString(), "a host name: addresses = all makes a server of each "
                        + "address the name resolves to");
            }
            if (name.length() + 1 + String.valueOf(max).length() > 63) {
                element.problem("name", name, "at most " + (62 - String.valueOf(max).length())
                        + " characters: its servers are named " + name + "-1 to " + name + "-" + max);
            }
            for (int slot = 1; slot <= max; slot++) {
                String slotName = name + "-" + slot;
                Integer clash = seen.putIfAbsent(slotName, i);
                if (clash != null) {
                    element.problem("name", name, "a name whose servers " + name + "-1 to " + name + "-" + max
                            + " are unique; rebound.servers[" + clash + "] is " + slotName + " already");
                    break;
                }
                servers.add(new ServerSettings(slotName, address, weight, check, name));
            }
        }
        return servers;
    }

    private static CheckSettings check(ConfigReader reader) {
        String method = reader.string("rebound.check.method");
        if (!method.isEmpty() && !HTTP_METHOD.matcher(method).matches()) {
            reader.problem("rebound.check.method", method, "an HTTP method in capitals such as GET or HEAD");
            method = "GET";
        }
        String path = reader.string("rebound.check.path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            reader.problem("rebound.check.path", path, "a path starting with '/' without spaces, such as /health");
            path = "/";
        }
        int problemsBefore = reader.problems().size();
        Duration interval = reader.duration("rebound.check.interval", Duration.ofMillis(10));
        Duration timeout = reader.duration("rebound.check.timeout", ONE_MILLI);
        if (reader.problems().size() == problemsBefore && timeout.compareTo(interval) >= 0) {
            reader.problem("rebound.check.timeout", ConfigText.duration(timeout),
                    "less than interval " + ConfigText.duration(interval));
        }
        int rise = reader.intInRange("rebound.check.rise", 1, 1000);
        int fall = reader.intInRange("rebound.check.fall", 1, 1000);
        String statusText = reader.string("rebound.check.expect-status");
        StatusRange expect = new StatusRange(200, 399);
        try {
            expect = StatusRange.parse(statusText);
        } catch (IllegalArgumentException e) {
            if (reader.has("rebound.check.expect-status")) {
                reader.problem("rebound.check.expect-status", statusText,
                        "a status code or range within 100-599 such as 200-399");
            }
        }
        return new CheckSettings(method.isEmpty() ? "GET" : method, path, interval, timeout, rise, fall, expect);
    }

    private static Timeouts timeouts(ConfigReader reader) {
        Duration response = reader.duration("rebound.timeouts.response", ONE_MILLI);
        if (response.toMillis() > Integer.MAX_VALUE) {
            reader.problem("rebound.timeouts.response", ConfigText.duration(response), "at most 24 days");
        }
        return new Timeouts(
                reader.duration("rebound.timeouts.connect", ONE_MILLI),
                response,
                reader.duration("rebound.timeouts.client-idle", ONE_MILLI),
                reader.duration("rebound.timeouts.pool-idle", ONE_MILLI),
                reader.duration("rebound.timeouts.request-head", ONE_MILLI));
    }

    /** Reads request-buffer before client-connections, so problems are listed in the order of the rules. */
    private static FrontendSettings frontend(ConfigReader reader, HostPort bind) {
        int requestHead = (int) reader.bytes("rebound.limits.request-head", 1024, MAX_HEAD);
        int requestLine = (int) reader.bytes("rebound.limits.request-line", 64, MAX_HEAD);
        int headerField = (int) reader.bytes("rebound.limits.header-field", 64, MAX_HEAD);
        if (requestLine > requestHead) {
            reader.problem("rebound.limits.request-line", String.valueOf(requestLine),
                    "at most rebound.limits.request-head " + requestHead);
        }
        if (headerField > requestHead) {
            reader.problem("rebound.limits.header-field", String.valueOf(headerField),
                    "at most rebound.limits.request-head " + requestHead);
        }
        long unfinishedHeads = reader.bytes("rebound.limits.unfinished-heads", 1024, MAX_BODY);
        if (unfinishedHeads < requestHead) {
            reader.problem("rebound.limits.unfinished-heads", String.valueOf(unfinishedHeads),
                    "at least rebound.limits.request-head " + requestHead);
        }
        int bufferSize = (int) reader.bytes("rebound.request-buffer.size", 0, MAX_HEAD);
        long bufferTotal = reader.bytes("rebound.request-buffer.total", 0, MAX_BODY);
        if (bufferTotal < bufferSize) {
            reader.problem("rebound.request-buffer.total", String.valueOf(bufferTotal),
                    "at least rebound.request-buffer.size " + bufferSize);
        }
        ClientLimits limits = new ClientLimits(
                reader.intInRange("rebound.limits.client-connections", 1, 10_000_000),
                requestLine,
                headerField,
                reader.intInRange("rebound.limits.header-fields", 1, 10_000),
                requestHead,
                unfinishedHeads);
        return new FrontendSettings(bind, limits, new RequestBuffer(bufferSize, bufferTotal),
                reader.bytes("rebound.max-request-body", 0, MAX_BODY));
    }
}
