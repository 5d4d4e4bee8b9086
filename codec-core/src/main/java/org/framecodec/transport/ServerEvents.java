package org.framecodec.transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * The {@link ServerListener}s of one {@link InferenceServer}, told in turn; a server without
 * listeners does no more than read an empty array. Thread-safe: the array is replaced, never
 * changed, so telling needs no lock.
 */
final class ServerEvents {
  private static final System.Logger LOG = System.getLogger(InferenceServer.class.getName());
  private static final ServerListener[] NONE = new ServerListener[0];

  private final Object lock = new Object();
  private volatile ServerListener[] listeners = NONE;

  void add(ServerListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (lock) {
      ServerListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
      grown[grown.length - 1] = listener;
      listeners = grown;
    }
  }

  boolean remove(ServerListener listener) {
    synchronized (lock) {
      ServerListener[] now = listeners;
      for (int i = 0; i < now.length; i++) {
        if (now[i] == listener) {
          ServerListener[] shrunk = new ServerListener[now.length - 1];
          System.arraycopy(now, 0, shrunk, 0, i);
          System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
          listeners = shrunk;
          return true;
        }
      }
      return false;
    }
  }

  void responded(String route, int status, long requestBytes, long responseBytes, long nanos) {
    for (ServerListener l : listeners) {
      try {
        l.responded(route, status, requestBytes, responseBytes, nanos);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "server listener threw on a " + status + " response", e);
      }
    }
  }

  void refused(RefusalReason reason) {
    for (ServerListener l : listeners) {
      try {
        l.refused(reason);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "server listener threw on a refusal (" + reason + ")", e);
      }
    }
  }
}
