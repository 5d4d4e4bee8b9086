package org.framecodec.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first handler of every connection: counts open connections in all and per client address,
 * and closes a new one at once, before reading a byte, when either cap is reached. (Closing is
 * all that can be done before TLS and HTTP; a client sees a reset or an empty reply.) Shared by
 * all connections; thread-safe.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final ServerCore core;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  ConnectionLimiter(ServerCore core) {
    this.core = core;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress a = address(ctx);
    int total = open.incrementAndGet();
    int[] mine = new int[1];
    // Both updates inside compute: a count removed at zero cannot be incremented after removal.
    perAddress.compute(a, (k, n) -> {
      AtomicInteger c = n == null ? new AtomicInteger() : n;
      mine[0] = c.incrementAndGet();
      return c;
    });
    ctx.channel().closeFuture().addListener(f -> {
      open.decrementAndGet();
      perAddress.computeIfPresent(a, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    });
    if (total > core.options.maxConnections() || mine[0] > core.options.maxConnectionsPerAddress()) {
      core.refusedConnections.increment();
      core.events.refused(RefusalReason.TOO_MANY_CONNECTIONS);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  private static InetAddress address(ChannelHandlerContext ctx) {
    return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
  }
}
