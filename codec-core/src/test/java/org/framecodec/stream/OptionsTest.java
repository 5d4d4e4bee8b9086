package org.framecodec.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The value types' defaults and guards, each with the bad value in its message. */
class OptionsTest {
  @Test
  void networkSourcesReconnectAndFilesDoNot() {
    SourceOptions rtmp = SourceOptions.of("rtmp://127.0.0.1:1935/live/cam1");
    assertTrue(rtmp.isNetwork());
    assertEquals("cam1", rtmp.streamId());
    assertEquals(ReconnectPolicy.defaults().maxAttempts(), rtmp.reconnect().maxAttempts());
    assertFalse(rtmp.realtime(ProcessingMode.LIVE), "a network source arrives in real time by itself");

    SourceOptions file = SourceOptions.of("/videos/lobby.mp4");
    assertFalse(file.isNetwork());
    assertEquals("lobby.mp4", file.streamId());
    assertEquals(0, file.reconnect().maxAttempts());
    assertTrue(file.realtime(ProcessingMode.LIVE), "a file stands in for a camera in live mode");
    assertFalse(file.realtime(ProcessingMode.FILE));
    assertEquals(0, SourceOptions.builder("/videos/lobby.mp4")
        .reconnect(ReconnectPolicy.defaults()).build().reconnect().maxAttempts(), "files never reconnect");
  }

  @Test
  void sourceGuardsNameTheBadValue() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SourceOptions.builder("a.mp4").readTimeout(Duration.ZERO).build()).getMessage().contains("readTimeout"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SourceOptions.builder("a.mp4").decoderThreads(65).build()).getMessage().contains("65"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SourceOptions.builder("a.mp4").streamId("x".repeat(300)).build()).getMessage().contains("300"));
    assertThrows(IllegalArgumentException.class, () -> SourceOptions.builder(" "));
  }

  @Test
  void backOffDoublesUpToItsCap() {
    ReconnectPolicy p = ReconnectPolicy.of(6, Duration.ofMillis(100), Duration.ofMillis(500), 2);
    assertEquals(Duration.ofMillis(100), p.delayBefore(1));
    assertEquals(Duration.ofMillis(200), p.delayBefore(2));
    assertEquals(Duration.ofMillis(400), p.delayBefore(3));
    assertEquals(Duration.ofMillis(500), p.delayBefore(4));
    assertEquals(Duration.ofMillis(500), p.delayBefore(6));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ReconnectPolicy.of(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 2)).getMessage().contains("maxDelay"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ReconnectPolicy.of(2, Duration.ZERO, Duration.ZERO, 0.5)).getMessage().contains("0.5"));
    assertThrows(IllegalArgumentException.class, () -> p.delayBefore(0));
  }

  @Test
  void sinkFormatFollowsTheUrl() {
    assertEquals("flv", SinkOptions.of("rtmp://host/live/out").format().orElseThrow());
    assertEquals("hls", SinkOptions.of("/srv/hls/cam.m3u8").format().orElseThrow());
    assertTrue(SinkOptions.of("out.mp4").format().isEmpty(), "FFmpeg guesses from the extension");
    assertEquals("mpegts", SinkOptions.builder("udp://239.0.0.1:1234").format("mpegts").build().format().orElseThrow());
    assertEquals(7_257_600, SinkOptions.of("o.mp4").videoBitrate(1920, 1080, 50), "0.07 bit per pixel per frame");
    assertEquals(500_000, SinkOptions.of("o.mp4").videoBitrate(320, 180, 10), "at least 500 kbit/s");
    assertEquals(2_000_000, SinkOptions.builder("o.mp4").videoBitrate(2_000_000).build().videoBitrate(1920, 1080, 50));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SinkOptions.builder("o.mp4").gopSeconds(0).build()).getMessage().contains("gopSeconds"));
  }

  @Test
  void pipelineGuardsNameTheBadValue() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PipelineOptions.builder().maxFramesInFlight(1).build()).getMessage().contains("got 1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PipelineOptions.builder().maxBatch(0).build()).getMessage().contains("got 0"));
    assertThrows(IllegalArgumentException.class,
        () -> PipelineOptions.builder().maxDelay(Duration.ofSeconds(11)).build());
    assertEquals(ProcessingMode.FILE, PipelineOptions.defaults().mode());
  }

  @Test
  void aPipelineNeedsADetectorAStreamAndDistinctIds() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> StreamPipeline.builder().stream(SourceOptions.of("a.mp4"), SinkOptions.of("b.mp4")).start())
        .getMessage().contains("detector"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> StreamPipeline.builder().detector(f -> java.util.List.of()).start()).getMessage().contains("stream"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> StreamPipeline.builder().stream(SourceOptions.of("x/a.mp4"), SinkOptions.of("1.mp4"))
            .stream(SourceOptions.of("y/a.mp4"), SinkOptions.of("2.mp4"))).getMessage().contains("'a.mp4'"));
  }
}
