package org.framecodec.oip;

import java.util.List;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.detect.Detection;

/**
 * What runs the detector for {@link OipService}: given the frames of one request, their
 * detections, in order. The server decides how: a {@link org.framecodec.detect.Detector} behind
 * a lock ({@link #serialised}), or the receiver's bounded queue and pixel budgets.
 *
 * <p>Must be thread-safe. Throws the {@link org.framecodec.FrameFormatException} family for a
 * payload that cannot be decoded, a {@link org.framecodec.transport.TransportException} when it
 * cannot take the request now (answered 503 / {@code UNAVAILABLE}), anything else for a failure
 * of its own (500 / {@code INTERNAL}).
 */
@FunctionalInterface
public interface DetectionBackend {
  /**
   * Detects objects in each frame.
   *
   * @param frames the request's frames, at least one; read during the call only
   * @return per frame, its detections, in order
   */
  List<List<Detection>> detect(List<EncodedFrame> frames);

  /**
   * Calls {@code detector} one request at a time (detectors are not thread-safe); borrows it.
   *
   * @param detector the detector, still the caller's to close
   * @return a thread-safe backend
   */
  static DetectionBackend serialised(org.framecodec.detect.Detector detector) {
    java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);
    return frames -> {
      lock.lock();
      try {
        return detector.detectEncoded(frames).all();
      } finally {
        lock.unlock();
      }
    };
  }
}
