/*
 * FrameCodec JNI shim over the TurboJPEG API.
 *
 * This file only crosses the JNI boundary: it pins Java memory, checks that each offset lies
 * inside its array or buffer, and turns fc_status into a Java exception. The codec work, with
 * every length check that protects native memory, lives in fc_codec.c, which the fuzz harness
 * (src/test/c) drives directly.
 *
 * Rules this file keeps:
 *  - A pinned array is released before any exception is thrown or any other JNI call.
 *  - Each exported function has one exit path through "done".
 *  - One handle (fc_handle) belongs to exactly one Java TurboJpegCodec; it is not thread-safe,
 *    and the Java object guarantees single-threaded use and one destroy.
 */
#include <jni.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "fc_codec.h"
#include "org_framecodec_natives_TurboJpegNative.h"

static jclass cls_corrupt;      /* org.framecodec.CorruptPayloadException */
static jclass cls_unsupported;  /* org.framecodec.UnsupportedPayloadException */
static jclass cls_native;       /* org.framecodec.NativeCodecException */
static jclass cls_illegal_arg;  /* java.lang.IllegalArgumentException */
static jclass cls_oom;          /* java.lang.OutOfMemoryError */

static jclass global_class(JNIEnv *env, const char *name) {
  jclass local = (*env)->FindClass(env, name);
  if (local == NULL) return NULL;
  jclass global = (jclass)(*env)->NewGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  cls_corrupt = global_class(env, "org/framecodec/CorruptPayloadException");
  cls_unsupported = global_class(env, "org/framecodec/UnsupportedPayloadException");
  cls_native = global_class(env, "org/framecodec/NativeCodecException");
  cls_illegal_arg = global_class(env, "java/lang/IllegalArgumentException");
  cls_oom = global_class(env, "java/lang/OutOfMemoryError");
  if (!cls_corrupt || !cls_unsupported || !cls_native || !cls_illegal_arg || !cls_oom)
    return JNI_ERR;
  return JNI_VERSION_1_8;
}

/* A byte region of a Java byte[] (pinned) or a direct ByteBuffer. */
typedef struct region {
  jobject obj;
  jboolean is_array;
  unsigned char *base; /* start of the array or buffer, NULL until pinned */
  jlong capacity;
} region;

/* Pins r; returns 0 on success, -1 with *why set otherwise. Nothing is thrown here. */
static int pin(JNIEnv *env, region *r, const char **why) {
  if (r->obj == NULL) { *why = "null buffer"; return -1; }
  if (r->is_array) {
    r->capacity = (*env)->GetArrayLength(env, (jarray)r->obj);
    r->base = (unsigned char *)(*env)->GetPrimitiveArrayCritical(env, (jarray)r->obj, NULL);
  } else {
    r->capacity = (*env)->GetDirectBufferCapacity(env, r->obj);
    r->base = (unsigned char *)(*env)->GetDirectBufferAddress(env, r->obj);
  }
  if (r->base == NULL) { *why = "buffer is not accessible from native code"; return -1; }
  return 0;
}

static void unpin(JNIEnv *env, region *r, jint mode) {
  if (r->is_array && r->base != NULL)
    (*env)->ReleasePrimitiveArrayCritical(env, (jarray)r->obj, r->base, mode);
  r->base = NULL;
}

/* True when [off, off+len) lies inside a region of the given capacity. */
static int in_bounds(jlong capacity, jlong off, jlong len) {
  return off >= 0 && len >= 0 && off <= capacity && len <= capacity - off;
}

/* The Java exception class for a failed fc_* call. */
static jclass exception_for(fc_status s) {
  switch (s) {
    case FC_ERR_CORRUPT: return cls_corrupt;
    case FC_ERR_UNSUPPORTED: return cls_unsupported;
    case FC_ERR_NOMEM: return cls_oom;
    case FC_ERR_ARG: return cls_illegal_arg;
    default: return cls_native;
  }
}

static fc_handle *as_handle(JNIEnv *env, jlong ptr) {
  if (ptr == 0) {
    (*env)->ThrowNew(env, cls_illegal_arg, "native handle is closed");
    return NULL;
  }
  return (fc_handle *)(intptr_t)ptr;
}

JNIEXPORT jint JNICALL Java_org_framecodec_natives_TurboJpegNative_selfCheck(
    JNIEnv *env, jclass cls, jint color_none, jint color_cv2yuv, jint pf_bgr, jint pf_rgb,
    jint pf_gray, jint samp_444, jint samp_422, jint samp_420, jint samp_gray) {
  (void)env; (void)cls;
  return color_none == FC_COLOR_NONE && color_cv2yuv == FC_COLOR_CV2_YUV &&
         pf_bgr == TJPF_BGR && pf_rgb == TJPF_RGB && pf_gray == TJPF_GRAY &&
         samp_444 == TJSAMP_444 && samp_422 == TJSAMP_422 && samp_420 == TJSAMP_420 &&
         samp_gray == TJSAMP_GRAY;
}

JNIEXPORT jlong JNICALL Java_org_framecodec_natives_TurboJpegNative_create(JNIEnv *env,
                                                                           jclass cls) {
  (void)cls;
  fc_handle *h = fc_create();
  if (h == NULL) {
    (*env)->ThrowNew(env, cls_native, "cannot create TurboJPEG handles");
    return 0;
  }
  return (jlong)(intptr_t)h;
}

JNIEXPORT void JNICALL Java_org_framecodec_natives_TurboJpegNative_destroy(JNIEnv *env,
                                                                           jclass cls,
                                                                           jlong ptr) {
  (void)env; (void)cls;
  fc_destroy((fc_handle *)(intptr_t)ptr);
}

JNIEXPORT jlong JNICALL Java_org_framecodec_natives_TurboJpegNative_scratchBytes(JNIEnv *env,
                                                                                 jclass cls,
                                                                                 jlong ptr) {
  (void)env; (void)cls;
  return (jlong)fc_scratch_bytes((const fc_handle *)(intptr_t)ptr);
}

JNIEXPORT jlong JNICALL Java_org_framecodec_natives_TurboJpegNative_bufSize(
    JNIEnv *env, jclass cls, jint width, jint height, jint subsamp) {
  (void)cls;
  unsigned long size = tjBufSize(width, height, subsamp);
  if (size == (unsigned long)-1) {
    (*env)->ThrowNew(env, cls_illegal_arg, tjGetErrorStr2(NULL));
    return -1;
  }
  return (jlong)size;
}

JNIEXPORT jint JNICALL Java_org_framecodec_natives_TurboJpegNative_compress(
    JNIEnv *env, jclass cls, jlong ptr, jobject src, jboolean src_is_array, jint src_off,
    jint width, jint pitch, jint height, jint pixel_format, jint color, jint subsamp,
    jint quality, jint flags, jobject dst, jboolean dst_is_array, jint dst_off) {
  (void)cls;
  fc_handle *h = as_handle(env, ptr);
  if (h == NULL) return -1;
  region in = {src, src_is_array, NULL, 0}, out = {dst, dst_is_array, NULL, 0};
  jclass err_cls = NULL;
  const char *err = NULL;
  char msg[FC_MSG_MAX];
  jint result = -1;

  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, src_off, 0) || !in_bounds(out.capacity, dst_off, 0)) {
    err_cls = cls_illegal_arg;
    err = "buffer offset is outside its buffer";
    goto done;
  }
  size_t n = 0;
  fc_status s = fc_compress(h, in.base + src_off, (size_t)(in.capacity - src_off), width, pitch,
                            height, pixel_format, color, subsamp, quality, flags,
                            out.base + dst_off, (size_t)(out.capacity - dst_off), &n, msg,
                            sizeof(msg));
  if (s != FC_OK) {
    err_cls = exception_for(s);
    err = msg;
    goto done;
  }
  result = (jint)n;

done:
  unpin(env, &out, err == NULL ? 0 : JNI_ABORT);
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) (*env)->ThrowNew(env, err_cls, err);
  return result;
}

JNIEXPORT jint JNICALL Java_org_framecodec_natives_TurboJpegNative_compressPlanes(
    JNIEnv *env, jclass cls, jlong ptr, jobject src, jboolean src_is_array, jint y_off,
    jint y_stride, jint u_off, jint v_off, jint c_stride, jboolean interleaved_uv, jint width,
    jint height, jint quality, jint flags, jobject dst, jboolean dst_is_array, jint dst_off) {
  (void)cls;
  fc_handle *h = as_handle(env, ptr);
  if (h == NULL) return -1;
  region in = {src, src_is_array, NULL, 0}, out = {dst, dst_is_array, NULL, 0};
  jclass err_cls = NULL;
  const char *err = NULL;
  char msg[FC_MSG_MAX];
  jint result = -1;

  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (y_off < 0 || u_off < 0 || (!interleaved_uv && v_off < 0) ||
      !in_bounds(out.capacity, dst_off, 0)) {
    err_cls = cls_illegal_arg;
    err = "plane or buffer offset is negative or outside its buffer";
    goto done;
  }
  size_t n = 0;
  fc_status s = fc_compress_planes(h, in.base, (size_t)in.capacity, (size_t)y_off, y_stride,
                                   (size_t)u_off, interleaved_uv ? 0 : (size_t)v_off, c_stride,
                                   interleaved_uv, width, height, quality, flags,
                                   out.base + dst_off, (size_t)(out.capacity - dst_off), &n, msg,
                                   sizeof(msg));
  if (s != FC_OK) {
    err_cls = exception_for(s);
    err = msg;
    goto done;
  }
  result = (jint)n;

done:
  unpin(env, &out, err == NULL ? 0 : JNI_ABORT);
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) (*env)->ThrowNew(env, err_cls, err);
  return result;
}

JNIEXPORT void JNICALL Java_org_framecodec_natives_TurboJpegNative_readHeader(
    JNIEnv *env, jclass cls, jlong ptr, jobject src, jboolean src_is_array, jint off,
    jint len, jintArray out4) {
  (void)cls;
  fc_handle *h = as_handle(env, ptr);
  if (h == NULL) return;
  region in = {src, src_is_array, NULL, 0};
  jclass err_cls = NULL;
  const char *err = NULL;
  char msg[FC_MSG_MAX];
  fc_header hdr = {0, 0, 0, 0};

  if (out4 == NULL || (*env)->GetArrayLength(env, out4) < 4) {
    err_cls = cls_illegal_arg;
    err = "header output array must hold 4 ints";
    goto done;
  }
  if (pin(env, &in, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, off, len) || len == 0) {
    err_cls = cls_illegal_arg;
    err = "payload range is outside its buffer";
    goto done;
  }
  fc_status s = fc_read_header(h, in.base + off, (size_t)len, &hdr, msg, sizeof(msg));
  if (s != FC_OK) {
    err_cls = exception_for(s);
    err = msg;
    goto done;
  }

done:
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) {
    (*env)->ThrowNew(env, err_cls, err);
    return;
  }
  jint info[4] = {hdr.width, hdr.height, hdr.subsamp, hdr.colorspace};
  (*env)->SetIntArrayRegion(env, out4, 0, 4, info);
}

JNIEXPORT void JNICALL Java_org_framecodec_natives_TurboJpegNative_decompress(
    JNIEnv *env, jclass cls, jlong ptr, jobject src, jboolean src_is_array, jint off,
    jint len, jobject dst, jboolean dst_is_array, jint dst_off, jint width, jint pitch,
    jint height, jint pixel_format, jint color, jint flags) {
  (void)cls;
  fc_handle *h = as_handle(env, ptr);
  if (h == NULL) return;
  region in = {src, src_is_array, NULL, 0}, out = {dst, dst_is_array, NULL, 0};
  jclass err_cls = NULL;
  const char *err = NULL;
  char msg[FC_MSG_MAX];

  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, off, len) || len == 0) {
    err_cls = cls_illegal_arg;
    err = "payload range is outside its buffer";
    goto done;
  }
  if (!in_bounds(out.capacity, dst_off, 0)) {
    err_cls = cls_illegal_arg;
    err = "destination offset is outside its buffer";
    goto done;
  }
  fc_status s = fc_decompress(h, in.base + off, (size_t)len, out.base + dst_off,
                              (size_t)(out.capacity - dst_off), width, pitch, height,
                              pixel_format, color, flags, msg, sizeof(msg));
  if (s != FC_OK) {
    err_cls = exception_for(s);
    err = msg;
  }

done:
  unpin(env, &out, err == NULL ? 0 : JNI_ABORT);
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) (*env)->ThrowNew(env, err_cls, err);
}

JNIEXPORT void JNICALL Java_org_framecodec_natives_TurboJpegNative_decompressToPlanes(
    JNIEnv *env, jclass cls, jlong ptr, jobject src, jboolean src_is_array, jint off,
    jint len, jobject dst, jboolean dst_is_array, jint y_off, jint y_stride, jint u_off,
    jint v_off, jint c_stride, jint width, jint height, jint flags) {
  (void)cls;
  fc_handle *h = as_handle(env, ptr);
  if (h == NULL) return;
  region in = {src, src_is_array, NULL, 0}, out = {dst, dst_is_array, NULL, 0};
  jclass err_cls = NULL;
  const char *err = NULL;
  char msg[FC_MSG_MAX];

  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, off, len) || len == 0) {
    err_cls = cls_illegal_arg;
    err = "payload range is outside its buffer";
    goto done;
  }
  if (y_off < 0 || u_off < 0 || v_off < 0) {
    err_cls = cls_illegal_arg;
    err = "plane offset is negative";
    goto done;
  }
  fc_status s = fc_decompress_planes(h, in.base + off, (size_t)len, out.base,
                                     (size_t)out.capacity, (size_t)y_off, y_stride,
                                     (size_t)u_off, (size_t)v_off, c_stride, width, height, flags,
                                     msg, sizeof(msg));
  if (s != FC_OK) {
    err_cls = exception_for(s);
    err = msg;
  }

done:
  unpin(env, &out, err == NULL ? 0 : JNI_ABORT);
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) (*env)->ThrowNew(env, err_cls, err);
}
