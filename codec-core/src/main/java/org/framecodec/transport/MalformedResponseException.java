package org.framecodec.transport;

/**
 * The inference service answered 200 but the body is not a detections document we accept: bad
 * JSON, a missing or mistyped field, a value out of range, more frames or detections than the
 * request had or the limits allow, or a body over the size limit. The message names the field or
 * the offending value.
 */
public class MalformedResponseException extends TransportException {
  private static final long serialVersionUID = 1L;

  public MalformedResponseException(String message) {
    super(message);
  }

  public MalformedResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
