package io.dtn7j.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends a request and reads its response body with two limits: at most {@code maxBody} bytes (more cancels the
 * exchange with {@link ResponseTooLargeException}, so a peer cannot make the reader hold more than that), and no
 * more than {@code stall} without a byte arriving (then the exchange is cancelled with
 * {@link HttpTimeoutException}). Until the response headers arrive the request's own
 * {@link HttpRequest#timeout()} applies, or the stall limit when it has none.
 */
public final class BoundedHttp {

    private BoundedHttp() {
    }

    /** Receives a response body piece by piece, in order, on one of the client's threads at a time. */
    @FunctionalInterface
    public interface BodySink {
        /**
         * Takes the next bytes of the body.
         *
         * @param bytes the array holding them (valid only during the call)
         * @param offset where they start
         * @param length how many
         * @throws IOException to cancel the exchange; the caller of {@code send} gets this exception
         */
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * Sends {@code request} and returns the response with its whole body.
     *
     * @param client the client
     * @param request the request
     * @param maxBody the largest body accepted, in bytes (at most {@code Integer.MAX_VALUE - 8})
     * @param stall the longest time without progress
     * @return the response
     * @throws ResponseTooLargeException when the body exceeds {@code maxBody}
     * @throws HttpTimeoutException when the headers or the body stall for longer than allowed
     * @throws IOException as {@link HttpClient#send} does (e.g. {@link java.net.ConnectException})
     * @throws InterruptedException when interrupted; the exchange is cancelled
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, long maxBody, Duration stall)
            throws IOException, InterruptedException {
        long limit = Math.min(maxBody, Integer.MAX_VALUE - 8);
        return exchange(client, request, limit, stall, info -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return new Accumulator<>(out::write, out::toByteArray);
        });
    }

    /**
     * Sends {@code request} and hands its response body to {@code sink} as it arrives; the response returned
     * carries no body (it all went to the sink).
     *
     * @param client the client
     * @param request the request
     * @param maxBody the largest body accepted, in bytes
     * @param stall the longest time without progress
     * @param sink where the body goes
     * @return the response (status and headers)
     * @throws ResponseTooLargeException when the body exceeds {@code maxBody}
     * @throws HttpTimeoutException when the headers or the body stall for longer than allowed
     * @throws IOException as {@link HttpClient#send} does, or as the sink threw
     * @throws InterruptedException when interrupted; the exchange is cancelled
     */
    public static HttpResponse<Void> stream(HttpClient client, HttpRequest request, long maxBody, Duration stall,
                                            BodySink sink) throws IOException, InterruptedException {
        return streamBy(client, request, maxBody, stall, info -> sink);
    }

    /**
     * As {@link #stream(HttpClient, HttpRequest, long, Duration, BodySink)}, with the sink chosen once the status
     * and headers are known (e.g. the body of a 200 to a file, that of an error to a message).
     *
     * @param client the client
     * @param request the request
     * @param maxBody the largest body accepted, in bytes
     * @param stall the longest time without progress
     * @param sinks gives the sink for a response's status and headers
     * @return the response (status and headers)
     * @throws ResponseTooLargeException when the body exceeds {@code maxBody}
     * @throws HttpTimeoutException when the headers or the body stall for longer than allowed
     * @throws IOException as {@link HttpClient#send} does, or as the sink threw
     * @throws InterruptedException when interrupted; the exchange is cancelled
     */
    public static HttpResponse<Void> streamBy(HttpClient client, HttpRequest request, long maxBody, Duration stall,
                                              java.util.function.Function<HttpResponse.ResponseInfo, BodySink> sinks)
            throws IOException, InterruptedException {
        return exchange(client, request, maxBody, stall, info -> new Accumulator<Void>(sinks.apply(info), () -> null));
    }

    /** A sink with what to return at the end. */
    private record Accumulator<T>(BodySink sink, Supplier<T> result) {
    }

    private static <T> HttpResponse<T> exchange(HttpClient client, HttpRequest request, long maxBody, Duration stall,
                                                java.util.function.Function<HttpResponse.ResponseInfo,
                                                        Accumulator<T>> accumulators)
            throws IOException, InterruptedException {
        String what = request.method() + " " + request.uri();
        AtomicReference<LimitedSubscriber<T>> body = new AtomicReference<>();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<T>> response = client.sendAsync(request, info -> {
            LimitedSubscriber<T> s = new LimitedSubscriber<>(what, maxBody, accumulators.apply(info));
            body.set(s);
            return s;
        });
        long stallNanos = stall.toNanos();
        long tickMillis = Math.max(10, Math.min(250, stall.toMillis() / 4));
        while (true) {
            try {
                return response.get(tickMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                LimitedSubscriber<T> s = body.get();
                if (s == null && request.timeout().isPresent()) {
                    continue; // waiting for the headers: the client enforces the request's timeout
                }
                long last = s == null ? start : s.lastProgress;
                if (System.nanoTime() - last > stallNanos) {
                    if (s != null) {
                        s.cancel();
                    }
                    response.cancel(true);
                    throw new HttpTimeoutException(what + ": no data for " + stall.toMillis() + " ms"
                            + (s == null ? " (no response headers)" : " in the middle of the response body")
                            + "; the exchange was cancelled");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException(what + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                LimitedSubscriber<T> s = body.get();
                if (s != null) {
                    s.cancel();
                }
                response.cancel(true);
                throw e;
            }
        }
    }

    /** Hands the body to its sink, one buffer list at a time, counting bytes and noting when the last came. */
    private static final class LimitedSubscriber<T> implements HttpResponse.BodySubscriber<T> {
        private final String what;
        private final long maxBody;
        private final Accumulator<T> accumulator;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private volatile long lastProgress = System.nanoTime();
        private long received;
        private byte[] scratch;

        LimitedSubscriber(String what, long maxBody, Accumulator<T> accumulator) {
            this.what = what;
            this.maxBody = maxBody;
            this.accumulator = accumulator;
        }

        @Override
        public CompletionStage<T> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer b : buffers) {
                    int n = b.remaining();
                    if (received + n > maxBody) {
                        fail(new ResponseTooLargeException(what, maxBody));
                        return;
                    }
                    if (b.hasArray()) {
                        accumulator.sink().accept(b.array(), b.arrayOffset() + b.position(), n);
                    } else {
                        if (scratch == null || scratch.length < n) {
                            scratch = new byte[Math.max(n, 16 * 1024)];
                        }
                        b.get(scratch, 0, n);
                        accumulator.sink().accept(scratch, 0, n);
                    }
                    received += n;
                }
                lastProgress = System.nanoTime();
                subscription.request(1);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void fail(Throwable t) {
            subscription.cancel();
            result.completeExceptionally(t);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.cancel(false);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            try {
                result.complete(accumulator.result().get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }
}
