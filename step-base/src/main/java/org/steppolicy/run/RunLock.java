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
 * process is gone (or whose pid now belongs to a process started at another time) is stale and is taken over, by
 * one taker only: removing a stale lock needs its takeover file ({@code run.lock.takeover-<hash of the stale
 * lock>}, CREATE_NEW), and its holder removes the lock only while it still reads as the stale one, so a slower taker
 * can never delete the lock a faster one has just written. Released on {@link #close()}, and by a shutdown hook
 * when the JVM exits without closing it.
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
        RunLock lock = new RunLock(file, me);
        // Held (for alive()) before the file exists: another thread of this JVM that reads it must see it live.
        HELD.add(lock);
        for (int attempt = 0; ; attempt++) {
            try {
                try {
                    Files.writeString(file, me.format(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    return lock;
                } catch (FileAlreadyExistsException e) {
                    // someone's lock: live, or stale and taken over below
                }
                String stale = readText(file);
                if (stale == null) continue;                  // released meanwhile: try again
                Holder other = readHolder(file);
                if (other != null && other.alive()) {
                    HELD.remove(lock);
                    throw new UserError(what + " is in use by process " + other.pid() + " (running since " + other.acquired()
                            + "): wait for it to finish or choose another --out");
                }
                if (attempt >= 20) {
                    HELD.remove(lock);
                    throw new UserError(what + ": cannot take over the stale lock " + file + "; remove it (and any "
                            + FILE + ".takeover-* beside it) by hand");
                }
                takeOver(file, stale);                        // stale: its process is gone
            } catch (IOException e) {
                HELD.remove(lock);
                throw FileErrors.cannotWrite(what, e);
            }
        }
    }

    /**
     * Removes the lock file if it still holds {@code stale}, as the one taker of that stale lock: its takeover file
     * is created with CREATE_NEW, and while it exists no one else removes that lock. A taker that finds the takeover
     * file taken waits a moment; the caller then reads the lock again (most likely the winner's, live).
     */
    private static void takeOver(Path file, String stale) throws IOException {
        Path takeover = file.resolveSibling(FILE + ".takeover-" + Integer.toHexString(stale.hashCode()));
        try {
            Files.createFile(takeover);
        } catch (FileAlreadyExistsException busy) {
            pause(20);
            return;
        }
        try {
            if (stale.equals(readText(file))) Files.deleteIfExists(file);
        } finally {
            Files.deleteIfExists(takeover);
        }
    }

    /** The lock file's bytes as text (any bytes: a garbage lock too), or null when there is none. */
    private static String readText(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The lock and the takeover files beside it: no run writes them, none is the user's. */
    static boolean isLockFile(String name) {
        return name.equals(FILE) || name.startsWith(FILE + ".takeover-");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
