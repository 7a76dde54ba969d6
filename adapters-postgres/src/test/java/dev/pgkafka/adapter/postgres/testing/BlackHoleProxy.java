package dev.pgkafka.adapter.postgres.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy between the broker and PostgreSQL that can go silent: while black-holed nothing passes in
 * either direction and new connections are accepted but get no answer, and nothing is closed, as when a
 * network drops packets without a word (a firewall, a partition, a dead NAT entry). Neither end learns
 * anything: only timeouts end their waits. When restored, what was held passes on, as TCP would deliver
 * it after the partition healed.
 */
public final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition open = lock.newCondition();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean blackHoled;
    private volatile boolean closed;

    private BlackHoleProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** A proxy on a free port of 127.0.0.1 to {@code host:port}. */
    public static BlackHoleProxy start(String host, int port) throws IOException {
        ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        BlackHoleProxy proxy = new BlackHoleProxy(server, new InetSocketAddress(host, port));
        Thread.ofVirtual().name("black-hole-proxy-accept").start(proxy::acceptLoop);
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** From now on nothing passes and new connections hang. */
    public void blackHole() {
        blackHoled = true;
    }

    /** Everything passes again, what was held first. */
    public void restore() {
        lock.lock();
        try {
            blackHoled = false;
            open.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitOpen() throws InterruptedException {
        if (!blackHoled) {
            return;
        }
        lock.lock();
        try {
            while (blackHoled && !closed) {
                open.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                sockets.add(client);
                Thread.ofVirtual().name("black-hole-proxy-connect").start(() -> connect(client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            awaitOpen();
            upstream = new Socket();
            upstream.connect(target, 5000);
            sockets.add(upstream);
            Socket up = upstream;
            Thread.ofVirtual().name("black-hole-proxy-up").start(() -> pump(client, up));
            Thread.ofVirtual().name("black-hole-proxy-down").start(() -> pump(up, client));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                // what was read while silent is held, and sent once restored
                awaitOpen();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        try {
            server.close();
        } catch (IOException ignored) {
            // closed either way
        }
        sockets.forEach(this::closeQuietly);
    }
}
