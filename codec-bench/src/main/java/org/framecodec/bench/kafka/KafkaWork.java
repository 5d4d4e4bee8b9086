package org.framecodec.bench.kafka;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.framecodec.detect.Detector;
import org.framecodec.detect.DetectorOptions;
import org.framecodec.detect.DnnDevice;
import org.framecodec.kafka.DetectionWorker;

/**
 * {@code framecodec kafka work}: one {@link DetectionWorker} with a BlazeFace detector, in a
 * consumer group, until interrupted (Ctrl-C closes it cleanly: results written, offsets
 * committed, group left) or for a given time. Prints the worker's counters every 10 s.
 */
public final class KafkaWork {
  private KafkaWork() {}

  /**
   * The worker's settings.
   *
   * @param bootstrap {@code host:port} of the brokers
   * @param framesTopic where frames are read
   * @param resultsTopic where detections go
   * @param deadLetterTopic where poison records go; null for the frames topic plus {@code .dlt}
   * @param group the consumer group
   * @param model the ONNX model (BlazeFace)
   * @param device the detector's device
   * @param batch largest batch
   * @param maxDelay longest a frame waits for its batch
   * @param seconds how long to run; 0 until interrupted
   */
  public record Options(String bootstrap, String framesTopic, String resultsTopic,
      String deadLetterTopic, String group, Path model, DnnDevice device, int batch,
      Duration maxDelay, int seconds) {}

  /** Runs the worker; returns 0 when it was stopped, 1 when it failed on its own. */
  public static int run(Options o, PrintWriter out, PrintWriter err) throws InterruptedException {
    try (Detector detector = Detector.open(DetectorOptions.blazeFace(o.model()).toBuilder()
        .device(o.device()).maxBatch(o.batch()).build())) {
      DetectionWorker.Builder b = DetectionWorker.builder().bootstrapServers(o.bootstrap())
          .framesTopic(o.framesTopic()).resultsTopic(o.resultsTopic()).groupId(o.group())
          .detector(detector).maxBatchSize(o.batch()).maxDelay(o.maxDelay());
      if (o.deadLetterTopic() != null) {
        b.deadLetterTopic(o.deadLetterTopic());
      }
      DetectionWorker worker = b.build();
      Thread hook = new Thread(worker::close, "framecodec-kafka-work-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      err.println("kafka work: " + worker.name() + " in group " + o.group() + ", "
          + o.framesTopic() + " -> " + o.resultsTopic() + " (" + detector.info().target() + ")");
      err.flush();
      long end = o.seconds() > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(o.seconds()) : Long.MAX_VALUE;
      while (worker.isRunning() && System.nanoTime() - end < 0) {
        worker.awaitTermination(Duration.ofNanos(Math.min(TimeUnit.SECONDS.toNanos(10),
            Math.max(1, end - System.nanoTime()))));
        err.println("kafka work: " + worker.stats());
        err.flush();
      }
      worker.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook has closed the worker.
      }
      out.println(worker.stats());
      out.flush();
      if (worker.failure().isPresent()) {
        err.println("kafka work: the worker stopped: " + worker.failure().get().getMessage());
        return 1;
      }
      return 0;
    }
  }
}
