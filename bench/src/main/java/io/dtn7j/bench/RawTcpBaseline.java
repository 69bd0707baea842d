package io.dtn7j.bench;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * The raw TCP baselines the convergence-layer and end-to-end benchmarks are compared with in the same run (a socket
 * copy and a ping-pong over loopback), and the process CPU and JIT clocks they read. One implementation, so every
 * benchmark's "ratio to raw" means the same thing.
 */
public final class RawTcpBaseline {
    private RawTcpBaseline() {
    }

    /**
     * A throughput run: payload bytes and bundles per second of wall-clock time, process CPU nanoseconds per payload
     * byte (both ends together) and the JIT compilers' milliseconds during the run.
     *
     * @param bytesPerSecond   payload bytes per second
     * @param bundlesPerSecond bundles (or writes) per second
     * @param cpuNanosPerByte  process CPU nanoseconds per payload byte
     * @param jitMillis        milliseconds the JIT compilers spent during the run
     */
    public record Rate(double bytesPerSecond, double bundlesPerSecond, double cpuNanosPerByte, long jitMillis) {
    }

    /**
     * Process CPU time so far (all threads, user and system).
     *
     * @return nanoseconds
     */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Milliseconds the JIT compilers spent so far: a short run's CPU figure includes C2 still compiling, so this is
     * reported next to it.
     *
     * @return milliseconds, 0 where the JVM does not report it
     */
    public static long jitMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    /**
     * A raw TCP socket copy over loopback of {@code count} writes of the same {@code size} bytes (one {@code write}
     * per bundle, TCP_NODELAY), read by the other end (a platform thread: the plain baseline, without the
     * virtual-thread scheduling the agents' convergence layers run on) into a 64 KiB buffer; timed from the first
     * write until the reader has confirmed every byte.
     *
     * @param size bytes per write
     * @param count number of writes
     * @return the rate
     * @throws Exception if the loopback connection fails
     */
    public static Rate rawCopy(int size, int count) throws Exception {
        return rawCopy(size, count, false);
    }

    /**
     * As {@link #rawCopy(int, int)}, but when {@code keep} is true the reader reads every message whole into an array
     * of its own, as a receiver that hands the bytes on must, instead of reusing one 64 KiB buffer that stays in the
     * cache. Context for the end-to-end figures (the price of landing bytes in fresh memory), not the baseline of the
     * targets.
     *
     * @param size bytes per write
     * @param count number of writes
     * @param keep read each message into a fresh array of its size
     * @return the rate
     * @throws Exception if the loopback connection fails
     */
    public static Rate rawCopy(int size, int count, boolean keep) throws Exception {
        byte[] data = new byte[size];
        long total = (long) size * count;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[1 << 16];
                    long left = total;
                    for (int i = 0; keep && i < count; i++) {
                        byte[] message = new byte[size];
                        if (in.readNBytes(message, 0, size) < size) {
                            break;
                        }
                        left -= size;
                    }
                    discard(in, buf, left);
                    s.getOutputStream().write(1); // done
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                long j0 = jitMillis();
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    out.write(data);
                }
                out.flush();
                if (s.getInputStream().read() != 1) {
                    throw new IllegalStateException("raw copy: the reader did not confirm");
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long cpu = cpuNanos() - c0;
                reader.join();
                return new Rate(total / secs, count / secs, (double) cpu / total, jitMillis() - j0);
            }
        }
    }

    /**
     * Reads and drops {@code n} bytes through {@code buf}, as a raw copy's reader does.
     *
     * @return false if the stream ended first
     */
    private static boolean discard(InputStream in, byte[] buf, long n) throws java.io.IOException {
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return false;
            }
            left -= r;
        }
        return true;
    }

    /**
     * A raw TCP copy kept open between runs, for measurements that alternate short slices of an agent run with short
     * raw copies (so that both see the same state of a shared machine): each {@link #copy(int)} writes {@code count}
     * messages of the same bytes, one {@code write} each, and returns once the reader (a platform thread reading into a
     * 64 KiB buffer, as {@link #rawCopy(int, int)}) has confirmed every byte.
     */
    public static final class Pipe implements AutoCloseable {
        private final byte[] data;
        private final ServerSocket server;
        private final Socket socket;
        private final Thread reader;
        private final OutputStream out;
        private final InputStream acks;

        private Pipe(int size) throws Exception {
            data = new byte[size];
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            reader = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream ack = s.getOutputStream();
                    byte[] buf = new byte[1 << 16];
                    while (true) {
                        // each copy announces its bytes
                        if (!discard(in, buf, in.readLong())) {
                            return;
                        }
                        ack.write(1);
                    }
                } catch (java.io.EOFException | java.net.SocketException closed) {
                    // the pipe was closed
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            acks = socket.getInputStream();
        }

        /**
         * Opens a pipe over loopback.
         *
         * @param size bytes per message
         * @return the pipe
         * @throws Exception if the loopback connection fails
         */
        public static Pipe open(int size) throws Exception {
            return new Pipe(size);
        }

        /**
         * Writes {@code count} messages and waits for the reader to confirm them.
         *
         * @param count messages to write
         * @throws Exception if the connection fails
         */
        public void copy(int count) throws Exception {
            long total = (long) data.length * count;
            byte[] head = new byte[8];
            for (int i = 0; i < 8; i++) {
                head[i] = (byte) (total >>> (56 - 8 * i));
            }
            out.write(head);
            for (int i = 0; i < count; i++) {
                out.write(data);
            }
            out.flush();
            if (acks.read() != 1) {
                throw new IllegalStateException("raw pipe: the reader did not confirm");
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            server.close();
            reader.join(5_000);
        }
    }

    /**
     * Median round-trip (µs) of a raw ping-pong of {@code size} bytes.
     *
     * @param size bytes per message
     * @param rounds number of round trips measured
     * @return the median round-trip time in microseconds
     * @throws Exception if the loopback connection fails
     */
    public static double rawPingPong(int size, int rounds) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] buf = new byte[size];
                    for (int i = 0; i < rounds; i++) {
                        in.readFully(buf);
                        s.getOutputStream().write(buf);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] buf = new byte[size];
                long[] rtt = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(buf);
                    in.readFully(buf);
                    rtt[i] = System.nanoTime() - t0;
                }
                Arrays.sort(rtt);
                return rtt[rounds / 2] / 1e3;
            }
        }
    }
}
