package org.framecodec.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.framecodec.IsolatedClassPath;
import org.junit.jupiter.api.Test;

/**
 * The receiver, its listener hook included, without Micrometer or the Prometheus registry on the
 * class path: every class of the package loads, links and initializes, and a server serves and
 * tells its listener, in a class loader that cannot see either library; and no class outside the
 * metrics package names a Micrometer type, so nothing reached later can need it either.
 */
class ServerWithoutMicrometerTest {

  @Test
  void theReceiverLoadsServesAndTellsListenersWithoutMicrometerOrPrometheus() throws Exception {
    try (URLClassLoader loader = IsolatedClassPath.without("micrometer", "prometheus")) {
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"),
          "the loader must not see Micrometer, or this test proves nothing");
      List<String> transport = IsolatedClassPath.classesOf("org.framecodec.transport");
      assertTrue(transport.contains("org.framecodec.transport.ServerListener"), transport.toString());
      for (String name : transport) {
        Class.forName(name, true, loader); // links (verifies) and initializes each one
      }

      Class<?> serverClass = loader.loadClass("org.framecodec.transport.InferenceServer");
      Class<?> endpointClass = loader.loadClass("org.framecodec.transport.Endpoint");
      Class<?> listenerClass = loader.loadClass("org.framecodec.transport.ServerListener");
      Method text = loader.loadClass("org.framecodec.transport.ServerResponse").getMethod("text", int.class, String.class);
      Object endpoint = Proxy.newProxyInstance(loader, new Class<?>[] {endpointClass}, (proxy, m, args) ->
          m.getName().equals("handle") ? text.invoke(null, 200, "served without Micrometer") : objectMethod(proxy, m, args));
      List<String> told = new CopyOnWriteArrayList<>();
      Object listener = Proxy.newProxyInstance(loader, new Class<?>[] {listenerClass}, (proxy, m, args) -> {
        if (m.getName().equals("responded")) {
          told.add(args[0] + " " + args[1] + " " + args[3]);
          return null;
        }
        return m.getName().equals("refused") ? null : objectMethod(proxy, m, args);
      });
      Object builder = serverClass.getMethod("builder").invoke(null);
      builder.getClass().getMethod("route", String.class, String.class, endpointClass)
          .invoke(builder, "GET", "/ping", endpoint);
      try (AutoCloseable server = (AutoCloseable) builder.getClass().getMethod("start").invoke(builder)) {
        serverClass.getMethod("addListener", listenerClass).invoke(server, listener);
        InetSocketAddress address = (InetSocketAddress) serverClass.getMethod("address").invoke(server);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + address.getPort() + "/ping")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("served without Micrometer\n", r.body());
        assertEquals(List.of("/ping 200 26"), told, "the listener heard the response");
      }
      assertSame(loader, serverClass.getClassLoader(), "the receiver ran from the isolated loader");
    }
  }

  /**
   * The load test above only catches references that loading, linking and one request reach; a
   * Micrometer type named in a method body that never ran would slip through. So: no class
   * outside {@code org.framecodec.metrics} names a Micrometer (or Prometheus client) class at all.
   * Class files keep referenced class names as plain ASCII in the constant pool.
   */
  @Test
  void noClassOutsideTheMetricsPackageNamesMicrometer() throws IOException {
    Path classes = Path.of(System.getProperty("basedir", "."), "target", "classes");
    Path metrics = classes.resolve("org/framecodec/metrics");
    List<Path> all;
    try (Stream<Path> files = Files.walk(classes)) {
      all = files.filter(f -> f.toString().endsWith(".class")).toList();
    }
    assertTrue(all.stream().anyMatch(f -> f.startsWith(metrics) && names(f, "io/micrometer/")),
        "the metrics package must name Micrometer, or this scan proves nothing");
    List<String> offenders = new ArrayList<>();
    for (Path f : all) {
      if (!f.startsWith(metrics) && (names(f, "io/micrometer/") || names(f, "io/prometheus/"))) {
        offenders.add(classes.relativize(f).toString());
      }
    }
    assertEquals(List.of(), offenders, "only org.framecodec.metrics may refer to Micrometer");
  }

  private static boolean names(Path classFile, String prefix) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object objectMethod(Object proxy, Method m, Object[] args) {
    return switch (m.getName()) {
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      case "toString" -> "proxy";
      default -> throw new UnsupportedOperationException(m.toString());
    };
  }

}
