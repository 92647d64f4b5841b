package dev.koboldj.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices an HTTP/1.1 client closing its connection while its request waits, so queued work for it can be
 * dropped. Jetty does not read a connection while a request is being handled, so after the body has been read the
 * watch asks to be told when the socket turns readable: end of stream means the client went away. Bytes instead
 * (a pipelined next request) are not expected from HTTP clients that wait for their answer; the byte read is lost,
 * so the connection is closed after the response. {@link #close} withdraws the interest before the response is
 * written, leaving the connection to Jetty as it was.
 */
public final class ClientWatch implements Callback, AutoCloseable {
    private final Context ctx;
    private final AbstractEndPoint endPoint;
    private final Runnable onGone;
    private boolean armed;
    private boolean closed;
    private volatile boolean gone;

    private ClientWatch(Context ctx, AbstractEndPoint endPoint, Runnable onGone) {
        this.ctx = ctx;
        this.endPoint = endPoint;
        this.onGone = onGone;
    }

    /** Starts watching; call only once the request body has been read. Where no watch is possible it does nothing. */
    public static ClientWatch start(Context ctx, Runnable onGone) {
        AbstractEndPoint endPoint = null;
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            if (request != null && request.getConnectionMetaData().getHttpVersion().getVersion() <= 11) {
                EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
                if (ep instanceof AbstractEndPoint a) endPoint = a;
            }
        } catch (RuntimeException e) {
            endPoint = null;
        }
        ClientWatch watch = new ClientWatch(ctx, endPoint, onGone);
        watch.arm();
        return watch;
    }

    public boolean clientGone() {
        return gone;
    }

    private synchronized void arm() {
        if (endPoint == null || closed || armed) return;
        armed = endPoint.tryFillInterested(this);
    }

    @Override
    public synchronized void succeeded() {
        armed = false;
        if (closed) return;
        int n;
        try {
            n = endPoint.fill(BufferUtil.allocate(1));
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            gone = true;
            onGone.run();
        } else if (n == 0) {
            arm();
        } else {
            ctx.header("Connection", "close");
        }
    }

    /** An idle timeout while the request is being computed is not the client leaving: keep watching. */
    @Override
    public synchronized void failed(Throwable x) {
        armed = false;
        if (closed || x instanceof CancellationException) return;
        if (x instanceof TimeoutException && endPoint.isOpen()) {
            arm();
        } else {
            gone = true;
            onGone.run();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (armed) {
            armed = false;
            endPoint.getFillInterest().onFail(new CancellationException("request answered"));
        }
    }
}
