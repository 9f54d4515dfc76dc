package io.rebound.resolve;

import io.rebound.balance.Server;
import io.rebound.balance.ServerAddress;
import io.rebound.balance.ServerPool;
import io.rebound.config.ConfigText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every server name again each {@code interval} (HAProxy's {@code resolvers}), on its own threads, never on
 * I/O threads. A plain server follows the first address of its name (keeping its current one while the name still has
 * it); a group spreads the name's addresses over its slots ({@link Slots}). A failed lookup keeps the last addresses
 * for hold-nx or hold-timeout ({@link NameHold}). Servers given by IP address are never resolved.
 */
public final class ServerResolver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerResolver.class);
    /** Lookups take at most twice the timeout; a few threads serve many names. */
    private static final int MAX_THREADS = 4;

    private final ResolverSettings settings;
    private final NameLookup lookup;
    private final AddressChanges changes;
    private final List<ResolvedName> names = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    /** False during the first round at start: those addresses are the first ones, not changes. */
    private volatile boolean started;

    public ServerResolver(ServerPool pool, ResolverSettings settings, AddressChanges changes) {
        this.settings = settings;
        this.changes = changes;
        Map<String, List<Server>> byEntry = new LinkedHashMap<>();
        for (Server server : pool.all()) {
            if (!server.settings().address().isLiteral()) {
                String entry = server.settings().inGroup() ? server.settings().group() : server.name();
                byEntry.computeIfAbsent(entry, e -> new ArrayList<>()).add(server);
            }
        }
        byEntry.values().forEach(servers -> names.add(new ResolvedName(servers.get(0).settings().address().host(),
                servers.get(0).settings().address().port(), List.copyOf(servers),
                servers.get(0).settings().inGroup(), new NameHold(settings.holdNx(), settings.holdTimeout()))));
        this.lookup = names.isEmpty() ? null : new NameLookup(settings);
        AtomicInteger threadNumber = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, Math.min(MAX_THREADS, names.size())), task -> {
            Thread thread = new Thread(task, "rebound-resolve-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Resolves every name once, in parallel, and returns when all are done. Runs before the first checks. */
    public void resolveAll() {
        List<CompletableFuture<Void>> round = new ArrayList<>();
        for (ResolvedName name : names) {
            round.add(CompletableFuture.runAsync(() -> refresh(name), scheduler));
        }
        CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).join();
    }

    /** Starts the periodic lookups, staggered across the interval as the checks are. */
    public void start() {
        started = true;
        long interval = settings.interval().toNanos();
        for (int i = 0; i < names.size(); i++) {
            ResolvedName name = names.get(i);
            long firstDelay = interval * (i + 1) / names.size();
            scheduler.scheduleWithFixedDelay(() -> refresh(name), firstDelay, interval, TimeUnit.NANOSECONDS);
        }
    }

    private void refresh(ResolvedName name) {
        try {
            DnsAnswer answer = lookup.resolve(name.host());
            if (scheduler.isShutdown()) {
                return; // stopping: the lookup was cut short, its outcome means nothing
            }
            NameHold.Decision decision = name.hold().next(answer, System.nanoTime());
            Optional<Instant> resolvedAt = answer.found() ? Optional.of(Instant.now()) : Optional.empty();
            if (name.group()) {
                InetAddress[] current = new InetAddress[name.servers().size()];
                for (int i = 0; i < current.length; i++) {
                    current[i] = name.servers().get(i).socket().map(InetSocketAddress::getAddress).orElse(null);
                }
                InetAddress[] next = Slots.assign(current, decision.addresses());
                for (int i = 0; i < next.length; i++) {
                    apply(name, name.servers().get(i), next[i], resolvedAt, decision.error());
                }
            } else {
                Server server = name.servers().get(0);
                InetAddress current = server.socket().map(InetSocketAddress::getAddress).orElse(null);
                apply(name, server, Slots.pickOne(current, decision.addresses()), resolvedAt, decision.error());
            }
        } catch (RuntimeException e) {
            log.error("Resolving {} for server {} failed unexpectedly", name.host(), name.label(), e);
        }
    }

    private void apply(ResolvedName name, Server server, InetAddress address, Optional<Instant> resolvedAt,
                       Optional<String> error) {
        ServerAddress previous = server.address();
        Optional<InetSocketAddress> socket = Optional.ofNullable(address)
                .map(a -> new InetSocketAddress(a, name.port()));
        ServerAddress next = new ServerAddress(socket, resolvedAt.or(previous::resolvedAt), error);
        if (socket.equals(previous.socket())) {
            server.swapAddress(next);
            logDnsState(name, server, previous, next);
            return;
        }
        String from = ServerAddress.text(previous.socket());
        String to = ServerAddress.text(socket);
        if (!started) {
            server.swapAddress(next);
            if (socket.isPresent()) {
                log.info("Server {} is at {} ({})", server.name(), to, name.host());
            } else if (!name.group()) {
                log.warn("Server {} has no address at start ({}: {})", server.name(), name.host(),
                        error.orElse("no address"));
            }
            return;
        }
        if (previous.socket().isPresent() && socket.isPresent()) {
            log.info("Server {} moved {} -> {}", server.name(), from, to);
        } else if (socket.isPresent()) {
            log.info("Server {} takes address {} ({})", server.name(), to, name.host());
        } else if (name.group() && error.isEmpty()) {
            log.info("Server {} released {}: {} no longer resolves to it", server.name(), from, name.host());
        } else {
            log.warn("Server {} has no address ({} for {}), was {}", server.name(), error.orElse("no address"),
                    name.host(), from);
        }
        changes.change(server, next);
    }

    /** Logs when a name starts failing while its address is held, and when it answers again. */
    private void logDnsState(ResolvedName name, Server server, ServerAddress previous, ServerAddress next) {
        if (next.socket().isEmpty() || previous.dnsError().equals(next.dnsError())) {
            return;
        }
        if (next.dnsError().isPresent()) {
            log.warn("Server {} keeps {} while {} fails ({}), at most hold-nx {} / hold-timeout {}", server.name(),
                    ServerAddress.text(next.socket()), name.host(), next.dnsError().get(),
                    ConfigText.duration(settings.holdNx()), ConfigText.duration(settings.holdTimeout()));
        } else {
            log.info("Server {}: {} resolves again to {}", server.name(), name.host(),
                    ServerAddress.text(next.socket()));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
