package org.steppolicy.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.steppolicy.config.UserError;

/**
 * {@value #FILE} in a run folder: which process writes there (pid, the process's start time, when it took the
 * lock, host). Created with CREATE_NEW, so of two processes starting together exactly one gets it. A lock whose
 * process is gone (or whose pid now belongs to a process started at another time) is stale and is taken over.
 * Released on {@link #close()}, and by a shutdown hook when the JVM exits without closing it.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "run.lock";

    /** Locks this JVM holds, for the shutdown hook and for {@link #releaseHeldBy(Thread)}. */
    private static final Set<RunLock> HELD = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RunLock::releaseAll, "run-lock-release"));
    }

    /** What a lock file says. {@code processStart} is null when the OS does not report it. */
    public record Holder(long pid, Instant processStart, Instant acquired, String host, String token) {
        String format() {
            return "pid=" + pid + "\nprocess_start=" + (processStart == null ? "" : processStart) + "\nacquired=" + acquired
                    + "\nhost=" + host + "\ntoken=" + token + "\n";
        }

        static Holder parse(String text) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
            try {
                String ps = kv.getOrDefault("process_start", "");
                return new Holder(Long.parseLong(kv.get("pid")), ps.isEmpty() ? null : Instant.parse(ps),
                        Instant.parse(kv.get("acquired")), kv.getOrDefault("host", ""), kv.getOrDefault("token", ""));
            } catch (RuntimeException e) {
                return null;                                   // partly written or not ours: the caller decides
            }
        }

        /** The holding process still runs: same pid, and (when known) the same start time, so a reused pid is not mistaken for it. */
        boolean alive() {
            if (!host.isEmpty() && !host.equals(hostName())) return true;    // another machine's process: cannot tell, assume live
            if (pid == ProcessHandle.current().pid()) return HELD.stream().anyMatch(l -> l.holder.token.equals(token));
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) return false;
            Optional<Instant> start = p.get().info().startInstant();
            return processStart == null || start.isEmpty() || Math.abs(start.get().toEpochMilli() - processStart.toEpochMilli()) < 2000;
        }
    }

    private final Path file;
    private final Holder holder;
    private final Thread owner;

    private RunLock(Path file, Holder holder) {
        this.file = file;
        this.holder = holder;
        this.owner = Thread.currentThread();
    }

    /**
     * Takes the lock of {@code dir} (which must exist) or fails with one line naming the live holder.
     * @param what how the folder is named in messages, e.g. "--out runs/x"
     */
    public static RunLock acquire(Path dir, String what) {
        Path file = dir.resolve(FILE);
        ProcessHandle self = ProcessHandle.current();
        Holder me = new Holder(self.pid(), self.info().startInstant().orElse(null), Instant.now(), hostName(), UUID.randomUUID().toString());
        for (int attempt = 0; ; attempt++) {
            try {
                Files.writeString(file, me.format(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                RunLock lock = new RunLock(file, me);
                HELD.add(lock);
                return lock;
            } catch (FileAlreadyExistsException e) {
                Holder other = readHolder(file);
                if (other != null && other.alive())
                    throw new UserError(what + " is in use by process " + other.pid() + " (running since " + other.acquired()
                            + "): wait for it to finish or choose another --out");
                if (attempt >= 2) throw new UserError(what + ": cannot take over the stale lock " + file + "; remove it by hand");
                try {
                    Files.deleteIfExists(file);               // stale: its process is gone
                } catch (IOException d) {
                    throw FileErrors.cannotWrite(what, d);
                }
            } catch (IOException e) {
                throw FileErrors.cannotWrite(what, e);
            }
        }
    }

    /** The holder recorded in a lock file; retried briefly because a lock is written just after it is created. */
    static Holder readHolder(Path file) {
        for (int i = 0; i < 10; i++) {
            try {
                Holder h = Holder.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (h != null) return h;
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                return null;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    public Holder holder() { return holder; }

    /** Removes the lock file if it is still this lock's (never another process's). */
    @Override
    public void close() {
        if (!HELD.remove(this)) return;
        try {
            Holder now = Holder.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (now != null && now.token().equals(holder.token())) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the folder went away or turned read-only: nothing left to release
        }
    }

    /** Releases the locks taken by {@code thread}: the CLI calls this when a command ends, however it ends. */
    public static void releaseHeldBy(Thread thread) {
        for (RunLock l : HELD.toArray(new RunLock[0])) if (l.owner == thread) l.close();
    }

    /** Releases every lock of this JVM (shutdown, or a second Ctrl-C that halts at once). */
    public static void releaseAll() {
        for (RunLock l : HELD.toArray(new RunLock[0])) l.close();
    }

    private static String hostName() {
        return Host.NAME;
    }

    /** Looked up once: a slow resolver should not cost every lock check. */
    private static final class Host {
        static final String NAME = lookup();

        private static String lookup() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
