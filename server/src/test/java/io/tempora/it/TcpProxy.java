package io.tempora.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port in front of a database server, for tests of the database going away: {@link #cut()}
 * drops every connection and refuses new ones (as a database that stopped), {@link #partition()} drops the client
 * side only, so that the database still counts the sessions alive (as a network that went away), {@link #restore()}
 * listens again on the same port.
 */
final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<Socket> servers = new CopyOnWriteArrayList<>();
    private volatile boolean keepServerSide;
    private volatile ServerSocket listener;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    int port() {
        return port;
    }

    /** Closes every relayed connection and the listener: connecting is refused until {@link #restore()}. */
    synchronized void cut() throws IOException {
        listener.close();
        for (Socket s : clients) {
            s.close();
        }
        for (Socket s : servers) {
            s.close();
        }
        clients.clear();
        servers.clear();
    }

    /** Closes the client side of every connection and the listener; the database keeps its side open. */
    synchronized void partition() throws IOException {
        keepServerSide = true;
        listener.close();
        for (Socket s : clients) {
            s.close();
        }
        clients.clear();
    }

    synchronized void restore() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        keepServerSide = false;
        listen(s);
    }

    private void listen(ServerSocket s) {
        listener = s;
        Thread.ofPlatform().daemon(true).name("tcp-proxy-accept").start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket server = new Socket(targetHost, targetPort);
                    clients.add(client);
                    servers.add(server);
                    pump(client, server);
                    pump(server, client);
                } catch (IOException e) {
                    return; // closed by cut() or close()
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon(true).name("tcp-proxy-pump").start(() -> {
            byte[] buf = new byte[16384];
            try { // not try-with-resources: closing a socket's stream closes the socket, and partition() keeps one side
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                for (Socket s : List.of(from, to)) {
                    if (!(keepServerSide && servers.contains(s))) {
                        closeQuietly(s);
                    }
                }
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        keepServerSide = false;
        cut();
    }
}
