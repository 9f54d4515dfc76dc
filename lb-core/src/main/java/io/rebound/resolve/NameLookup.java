package io.rebound.resolve;

import io.rebound.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.hosts.HostsFileParser;

/**
 * One lookup of a name's A and AAAA records, asked of the name servers every time (no cache), with NXDOMAIN, timeouts
 * and other failures told apart. With the machine's own name servers it reads {@code /etc/hosts} first and applies
 * the search list of {@code /etc/resolv.conf} to a name without a dot, as the C library does. Blocking: it runs on the
 * resolver's own thread, never on an I/O thread.
 */
public final class NameLookup {
    private final Resolver resolver;
    private final Optional<HostsFileParser> hosts;
    private final List<Name> searchPath;
    private final long timeoutMillis;

    public NameLookup(ResolverSettings settings) {
        List<Resolver> servers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (HostPort nameserver : settings.nameservers()) {
            addresses.add(new InetSocketAddress(nameserver.host(), nameserver.port()));
        }
        boolean system = addresses.isEmpty();
        if (system) {
            addresses.addAll(ResolverConfig.getCurrentConfig().servers());
        }
        for (InetSocketAddress address : addresses) {
            SimpleResolver simple = new SimpleResolver(address);
            simple.setTimeout(settings.timeout());
            servers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(servers);
        extended.setTimeout(settings.timeout());
        this.resolver = extended;
        this.hosts = system ? Optional.of(new HostsFileParser()) : Optional.empty();
        this.searchPath = system ? ResolverConfig.getCurrentConfig().searchPath() : List.of();
        this.timeoutMillis = settings.timeout().toMillis();
    }

    /** Looks the host name up now. */
    public DnsAnswer resolve(String host) {
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            return DnsAnswer.failed("invalid name " + host);
        }
        Optional<InetAddress> fromHosts = fromHostsFile(name);
        if (fromHosts.isPresent()) {
            return DnsAnswer.found(List.of(fromHosts.get()));
        }
        DnsAnswer answer = query(name);
        if (answer.outcome() == DnsAnswer.Outcome.NO_SUCH_NAME && !host.contains(".")) {
            for (Name domain : searchPath) {
                try {
                    DnsAnswer searched = query(Name.concatenate(Name.fromString(host), domain));
                    if (searched.found()) {
                        return searched;
                    }
                } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
                    // a search domain that makes the name invalid is skipped, as the C library does
                }
            }
        }
        return answer;
    }

    private Optional<InetAddress> fromHostsFile(Name name) {
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<InetAddress> v4 = hosts.get().getAddressForHost(name, Type.A);
            return v4.isPresent() ? v4 : hosts.get().getAddressForHost(name, Type.AAAA);
        } catch (IOException e) {
            return Optional.empty(); // no readable hosts file: ask the name servers
        }
    }

    /** A and AAAA asked at once; IPv4 addresses first. */
    private DnsAnswer query(Name name) {
        CompletableFuture<Message> a = send(name, Type.A);
        CompletableFuture<Message> aaaa = send(name, Type.AAAA);
        DnsAnswer v4 = answer(a);
        DnsAnswer v6 = answer(aaaa);
        if (v4.found() || v6.found()) {
            List<InetAddress> all = new ArrayList<>(v4.addresses());
            all.addAll(v6.addresses());
            return DnsAnswer.found(all);
        }
        // A name that has no address of one family but timed out for the other is a timeout, not a missing name.
        boolean noSuchName = v4.outcome() == DnsAnswer.Outcome.NO_SUCH_NAME;
        return noSuchName && v6.outcome() == DnsAnswer.Outcome.TIMEOUT ? v6 : v4;
    }

    private CompletableFuture<Message> send(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return resolver.sendAsync(query).toCompletableFuture();
    }

    private DnsAnswer answer(CompletableFuture<Message> pending) {
        Message response;
        try {
            // The resolver enforces the timeout; this bound only guards against a future that never completes.
            response = pending.get(2 * timeoutMillis + 100, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DnsAnswer.failed("interrupted");
        } catch (TimeoutException e) {
            return DnsAnswer.timeout();
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                    || String.valueOf(cause.getMessage()).toLowerCase().contains("timed out")) {
                return DnsAnswer.timeout();
            }
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return DnsAnswer.failed(why);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return DnsAnswer.noSuchName();
        }
        if (rcode != Rcode.NOERROR) {
            return DnsAnswer.failed(Rcode.string(rcode));
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof ARecord v4) {
                addresses.add(v4.getAddress());
            } else if (record instanceof AAAARecord v6) {
                addresses.add(v6.getAddress());
            }
        }
        // NOERROR without addresses (the name exists with other records only) counts as no such name, as for HAProxy.
        return addresses.isEmpty() ? DnsAnswer.noSuchName() : DnsAnswer.found(addresses);
    }
}
