package org.framecodec.transport;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.DetectionBatch;
import org.framecodec.detect.Detector;

/**
 * The one way requests reach the {@link Detector}: its calls are serialised (a fair lock, so
 * workers take turns in arrival order), because a detector is not thread-safe. A thread-safe,
 * pipelined detector can later be called directly from every worker by dropping the lock here.
 */
final class DetectorLane {
  private final Detector detector;
  private final ReentrantLock lock = new ReentrantLock(true);

  DetectorLane(Detector detector) {
    this.detector = detector;
  }

  DetectionBatch detect(List<EncodedFrame> frames) {
    lock.lock();
    try {
      return detector.detectEncoded(frames);
    } finally {
      lock.unlock();
    }
  }
}
