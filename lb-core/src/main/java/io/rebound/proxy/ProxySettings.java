package io.rebound.proxy;

import io.rebound.admin.AdminSettings;
import java.util.Objects;

/**
 * Everything the proxy reads from {@code rebound.*} (but {@code rebound.supervisor}), read once and validated by
 * {@link ProxySettingsReader}. The groups follow the key tree: {@code timeouts} and {@code admin} are subtrees of
 * their own; the others gather the top-level keys of one concern.
 *
 * @param frontend {@code bind}, {@code limits}, {@code request-buffer}, {@code max-request-body}
 * @param backend {@code balance}, {@code servers} with {@code default-server}, {@code resolvers}, {@code check}
 * @param forwarding {@code forwarded-for}, {@code server-connection}, {@code max-connections-per-server},
 *     {@code queue}, {@code retries}
 * @param timeouts {@code timeouts}
 * @param admin {@code admin}: {@code bind} and {@code token-file}
 * @param process {@code drain-timeout}, {@code access-log}, {@code io-threads}
 */
public record ProxySettings(
        FrontendSettings frontend,
        BackendSettings backend,
        ForwardingSettings forwarding,
        Timeouts timeouts,
        AdminSettings admin,
        ProcessSettings process) {

    public ProxySettings {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(forwarding, "forwarding");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(process, "process");
    }
}
