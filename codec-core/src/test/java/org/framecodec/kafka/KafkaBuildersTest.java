package org.framecodec.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.framecodec.codec.EncodeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Builder checks (the bad value in the message) and the stream-to-partition rule; no broker. */
class KafkaBuildersTest {
  @Test
  void theReaderFindsAStreamWhereKafkasPartitionerPutsIt() {
    for (int partitions : new int[] {1, 3, 8, 50}) {
      for (int k = 0; k < 200; k++) {
        String id = "stream-" + k + "-é";
        assertEquals(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions),
            DetectionResultReader.partitionFor(id, partitions), id + " over " + partitions);
      }
    }
  }

  @Test
  void producerSettingsAreCheckedWithTheBadValueInTheMessage() {
    refused(() -> FrameProducer.builder().bootstrapServers("localhost"), "localhost");
    refused(() -> FrameProducer.builder().topic("no spaces"), "no spaces");
    refused(() -> FrameProducer.builder().encodeThreads(0), "0");
    refused(() -> FrameProducer.builder().batchSize(5000), "5000");
    refused(() -> FrameProducer.builder().queueCapacity(-1), "-1");
    refused(() -> FrameProducer.builder().maxDelay(Duration.ofMillis(-1)), "PT-0.001S");
    refused(() -> FrameProducer.builder().closeTimeout(Duration.ZERO), "PT0S");
    refused(() -> FrameProducer.builder().property("value.serializer", "x"), "value.serializer");
    refused(() -> FrameProducer.builder().bootstrapServers("h:1").topic("t")
        .encodeOptions(EncodeOptions.cv2Yuv(80)).batchSize(16).queueCapacity(8).build(), "8");
  }

  @Test
  void workerSettingsAreCheckedWithTheBadValueInTheMessage() {
    refused(() -> DetectionWorker.builder().maxBatchSize(0), "0");
    refused(() -> DetectionWorker.builder().maxInFlight(0), "0");
    refused(() -> DetectionWorker.builder().groupId(" "), "groupId");
    refused(() -> DetectionWorker.builder().consumerProperty("enable.auto.commit", true),
        "enable.auto.commit");
    refused(() -> DetectionWorker.builder().deadLetterTopic(".."), "..");
    refused(() -> DetectionWorker.builder().commitInterval(Duration.ZERO), "PT0S");
    refused(() -> DetectionResultReader.builder().streamId(""), "streamId");
  }

  @Test
  void missingRequiredSettingsAreNamed() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> FrameProducer.builder().bootstrapServers("h:1").topic("t").build());
    assertTrue(e.getMessage().contains("encodeOptions"), e.getMessage());
    e = assertThrows(NullPointerException.class,
        () -> DetectionWorker.builder().bootstrapServers("h:1").framesTopic("f").resultsTopic("r").build());
    assertTrue(e.getMessage().contains("detector"), e.getMessage());
  }

  private static void refused(Executable call, String mentioned) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(mentioned), "'" + e.getMessage() + "' should name " + mentioned);
  }
}
