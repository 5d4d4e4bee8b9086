package org.framecodec.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP codec and tells the connection that bytes arrived, which Netty's codec
 * does not say until a request's headers are complete: that is when a keep-alive connection
 * stops being idle and its header timeout starts; and after a refusal it drops what the client
 * still sends (see {@code HttpConnection#lingerThenClose}). One per connection; event loop only.
 */
final class ByteWatcher extends ChannelInboundHandlerAdapter {
  private final HttpConnection connection;

  ByteWatcher(HttpConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (connection.lingering() && msg instanceof ByteBuf bytes) {
      // After a refusal: the rest of the upload is dropped here, before the HTTP codec parses it.
      int n = bytes.readableBytes();
      bytes.release();
      connection.drained(n);
      return;
    }
    connection.bytesArrived();
    ctx.fireChannelRead(msg);
  }
}
