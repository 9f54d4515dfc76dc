package io.rebound.supervisor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.ServerSettings;
import io.rebound.balance.ServerState;
import io.rebound.config.HostPort;
import io.rebound.runtime.RuntimeState;
import io.rebound.runtime.RuntimeStateFile;
import io.rebound.runtime.ServerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor's hold on the runtime state and its file, without proxies to tell. */
class ServerControlTest {
    private static final List<ServerSettings> SERVERS = List.of(server("apache1"), server("apache2"));

    @TempDir
    Path dir;

    @Test
    void open_readsTheFile_andDropsTheStateOfServersNoLongerConfigured() throws Exception {
        Path file = dir.resolve("servers.json");
        RuntimeStateFile.write(file, RuntimeState.EMPTY
                .with(ServerRuntime.ready("apache2").withState(ServerState.MAINT))
                .with(ServerRuntime.ready("apache9").withState(ServerState.DRAIN)));

        ServerControl control = open(file, SERVERS);

        assertEquals(Set.of("apache2"), control.state().servers().keySet());
        assertEquals(3, control.state().generation());
        assertEquals(Optional.of(control.state()), RuntimeStateFile.read(file));
    }

    @Test
    void aFileThatIsNoState_isSetAside_andEveryServerStartsReady() throws Exception {
        Path file = Files.writeString(dir.resolve("servers.json"), "{ half a state");

        ServerControl control = open(file, SERVERS);

        assertEquals(RuntimeState.EMPTY, control.state());
        assertEquals("{ half a state", Files.readString(dir.resolve("servers.json.corrupt")));
        control.setState("apache1", ServerState.DRAIN, "test");
        assertEquals(ServerState.DRAIN, RuntimeStateFile.read(file).orElseThrow().of("apache1").state());
    }

    @Test
    void aChangeTheFileCannotTake_failsAndChangesNothing() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "");
        ServerControl control = open(notADirectory.resolve("servers.json"), SERVERS);

        assertThrows(IOException.class, () -> control.setState("apache1", ServerState.MAINT, "test"));

        assertEquals(RuntimeState.EMPTY, control.state());
    }

    @Test
    void aStateFileInADirectoryOthersMayWriteTo_isNotRead_andChangesAreRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path file = shared.resolve("servers.json");
        RuntimeStateFile.write(file, RuntimeState.EMPTY.with(ServerRuntime.ready("apache1")
                .withState(ServerState.MAINT)));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        ServerControl control = open(file, SERVERS);

        assertEquals(RuntimeState.EMPTY, control.state(), "a planted state is not read");
        IOException refused = assertThrows(IOException.class,
                () -> control.setState("apache2", ServerState.DRAIN, "test"));
        assertTrue(refused.getMessage().contains("that only its owner may write to"), refused.getMessage());
        assertTrue(control.fileProblem().isPresent());
        assertEquals(RuntimeState.EMPTY, control.state());
    }

    @Test
    void theStateFilesDirectory_isCreatedForThisUserAlone() throws Exception {
        Path file = dir.resolve("new/servers.json");
        ServerControl control = open(file, SERVERS);

        control.setState("apache1", ServerState.DRAIN, "test");

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(Optional.empty(), control.fileProblem());
    }

    @Test
    void anUnknownServerOrAWeightOutOfRange_isRefusedBeforeAnythingIsWritten() {
        Path file = dir.resolve("servers.json");
        ServerControl control = open(file, SERVERS);

        ServerControl.UnknownServerException unknown = assertThrows(ServerControl.UnknownServerException.class,
                () -> control.setWeight("apache9", 5, "test"));
        IllegalArgumentException heavy = assertThrows(IllegalArgumentException.class,
                () -> control.setWeight("apache1", 257, "test"));

        assertEquals("server: 'apache9' (expected: one of apache1, apache2)", unknown.getMessage());
        assertEquals("weight: 257 (expected: 1-256)", heavy.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void aReload_dropsTheStateOfARemovedServer_andNamesTheServersNotReady() throws Exception {
        Path file = dir.resolve("servers.json");
        ServerControl control = open(file, SERVERS);
        control.setState("apache1", ServerState.DRAIN, "test");
        control.setState("apache2", ServerState.MAINT, "test");

        String notReady = control.reloaded(List.of(server("apache1"), server("apache3")));

        assertEquals("apache1 drain", notReady);
        assertEquals(Set.of("apache1"), RuntimeStateFile.read(file).orElseThrow().servers().keySet());
    }

    private static ServerControl open(Path file, List<ServerSettings> servers) {
        return ServerControl.open(file, servers, List::of, new ChildProxies(Optional.empty()));
    }

    private static ServerSettings server(String name) {
        return new ServerSettings(name, HostPort.parse("127.0.0.1:80"), 1, true);
    }
}
