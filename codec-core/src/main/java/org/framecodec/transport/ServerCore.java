package org.framecodec.transport;

import io.netty.channel.group.ChannelGroup;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.framecodec.Limits;

/**
 * What every connection of one {@link InferenceServer} shares: settings, routes, the optional
 * token, the budgets, the body pool, the worker pool (and the scrape lane, when a route uses it),
 * the counters and the listeners. Thread-safe.
 */
final class ServerCore {
  final ServerOptions options;
  final Limits limits;
  final Routes routes;
  final BearerToken token;
  final MemoryBudget bodyBytes;
  final MemoryBudget pixels;
  final BodyBufferPool pool;
  final ThreadPoolExecutor workers;
  /** Runs scrape-lane routes ({@code /metrics}) apart from the workers; null when none is routed. */
  final ThreadPoolExecutor scrapes;
  final ChannelGroup channels;
  final ServerEvents events;
  final AtomicInteger inFlight = new AtomicInteger();
  final LongAdder refusedConnections = new LongAdder();
  private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
  volatile boolean draining;

  ServerCore(ServerOptions options, Limits limits, Routes routes, BearerToken token,
      MemoryBudget pixels, ThreadPoolExecutor workers, ThreadPoolExecutor scrapes,
      ChannelGroup channels, ServerEvents events) {
    this.options = options;
    this.limits = limits;
    this.routes = routes;
    this.token = token;
    this.bodyBytes = new MemoryBudget("in-flight body bytes", options.maxInFlightBodyBytes());
    this.pixels = pixels;
    // Idle bodies kept: a quarter of the in-flight allowance; no single array over 16 MiB, so an
    // unusually large upload is freed after its request.
    this.pool = new BodyBufferPool(options.maxInFlightBodyBytes() / 4, 16 << 20);
    this.workers = workers;
    this.scrapes = scrapes;
    this.channels = channels;
    this.events = events;
  }

  /** The longest body a request may have. */
  long maxBodyBytes() {
    return limits.maxDocumentBytes();
  }

  void counted(int status) {
    responses.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  ServerStats stats() {
    Map<Integer, Long> r = new TreeMap<>();
    responses.forEach((k, v) -> r.put(k, v.sum()));
    return new ServerStats(channels.size(), refusedConnections.sum(), inFlight.get(),
        workers.getQueue().size(), bodyBytes.used(), pixels.used(), pool.pooledBytes(), r);
  }
}
