/*
 * FrameCodec JNI shim over the TurboJPEG API, and the entry of the model-input kernel
 * (fc_tensor.c) for org.framecodec.detect.TensorNative.
 *
 * This file only crosses the JNI boundary: it pins Java memory, checks that each offset lies
 * inside its array or buffer, and turns fc_status into a Java exception. The codec work, with
 * every length check that protects native memory, lives in fc_codec.c, which the fuzz harness
 * (src/test/c) drives directly.
 *
 * Rules this file keeps:
 *  - A pinned array is released before any exception is thrown or any other JNI call.
 *  - Each exported function has one exit path, through "done" and finish(): every failure
 *    leaves with BAIL/BAIL_IF/BAIL_ON (the pattern of libjpeg-turbo's own JNI), so the
 *    pin/check/call/unpin/throw sequence is written once.
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
#include "fc_tensor.h"
#include "org_framecodec_codec_TurboJpegNative.h"
#include "org_framecodec_detect_TensorNative.h"

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
  unsigned char *base; /* start of the array or buffer, NULL until pinned or when absent */
  jlong capacity;
} region;

/* One JNI call: its regions and, once it fails, the exception to throw after unpinning. */
typedef struct call {
  JNIEnv *env;
  region in;
  region out;
  jclass err_cls;
  const char *err;
  char msg[FC_MSG_MAX];
} call;

#define CALL(env, src, src_is_array, dst, dst_is_array) \
  {(env), {(src), (src_is_array), NULL, 0}, {(dst), (dst_is_array), NULL, 0}, NULL, NULL, {0}}

/* Records the failure and jumps to the function's single exit. */
#define BAIL(c, cls, text)  \
  do {                      \
    (c)->err_cls = (cls);   \
    (c)->err = (text);      \
    goto done;              \
  } while (0)
#define BAIL_IF(c, cond, cls, text) \
  do {                              \
    if (cond) BAIL(c, cls, text);   \
  } while (0)
/* Fails with the exception for an fc_* status; the fc_* call has written c->msg. */
#define BAIL_ON(c, status)                                  \
  do {                                                      \
    fc_status s_ = (status);                                \
    if (s_ != FC_OK) BAIL(c, exception_for(s_), (c)->msg);  \
  } while (0)

/*
 * Finds r's capacity and, for a direct buffer, its address; returns 0 on success, -1 with *why set
 * otherwise. Throws nothing. These are JNI calls, so every region is located before the first is
 * pinned: no JNI function may be called inside a Get/ReleasePrimitiveArrayCritical pair.
 */
static int locate(JNIEnv *env, region *r, const char **why) {
  if (r->obj == NULL) { *why = "null buffer"; return -1; }
  if (r->is_array) {
    r->capacity = (*env)->GetArrayLength(env, (jarray)r->obj);
    return 0;
  }
  r->capacity = (*env)->GetDirectBufferCapacity(env, r->obj);
  r->base = (unsigned char *)(*env)->GetDirectBufferAddress(env, r->obj);
  if (r->base == NULL) { *why = "buffer is not accessible from native code"; return -1; }
  return 0;
}

/* Pins an array region (a located direct buffer needs nothing); 0 on success, -1 with *why set. */
static int pin_array(JNIEnv *env, region *r, const char **why) {
  if (!r->is_array) return 0;
  r->base = (unsigned char *)(*env)->GetPrimitiveArrayCritical(env, (jarray)r->obj, NULL);
  if (r->base == NULL) { *why = "buffer is not accessible from native code"; return -1; }
  return 0;
}

/* Locates both regions, then pins the input and, when with_out, the output region. */
static int pin_all(call *c, int with_out) {
  if (locate(c->env, &c->in, &c->err) != 0) return -1;
  if (with_out && locate(c->env, &c->out, &c->err) != 0) return -1;
  if (pin_array(c->env, &c->in, &c->err) != 0) return -1;
  return with_out ? pin_array(c->env, &c->out, &c->err) : 0;
}

static void unpin(JNIEnv *env, region *r, jint mode) {
  if (r->is_array && r->base != NULL)
    (*env)->ReleasePrimitiveArrayCritical(env, (jarray)r->obj, r->base, mode);
  r->base = NULL;
}

/* The single exit: unpins (keeping output only on success), then throws any failure. */
static void finish(call *c) {
  unpin(c->env, &c->out, c->err == NULL ? 0 : JNI_ABORT);
  unpin(c->env, &c->in, JNI_ABORT);
  if (c->err != NULL) (*c->env)->ThrowNew(c->env, c->err_cls, c->err);
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

#define JNI_FN(name) Java_org_framecodec_codec_TurboJpegNative_##name

JNIEXPORT jint JNICALL JNI_FN(selfCheck)(JNIEnv *env, jclass cls, jint color_none,
                                         jint color_cv2yuv, jint pf_bgr, jint pf_rgb, jint pf_gray,
                                         jint samp_444, jint samp_422, jint samp_420,
                                         jint samp_gray) {
  (void)env; (void)cls;
  return color_none == FC_COLOR_NONE && color_cv2yuv == FC_COLOR_CV2_YUV &&
         pf_bgr == TJPF_BGR && pf_rgb == TJPF_RGB && pf_gray == TJPF_GRAY &&
         samp_444 == TJSAMP_444 && samp_422 == TJSAMP_422 && samp_420 == TJSAMP_420 &&
         samp_gray == TJSAMP_GRAY;
}

JNIEXPORT jlong JNICALL JNI_FN(create)(JNIEnv *env, jclass cls) {
  (void)cls;
  fc_handle *h = fc_create();
  if (h == NULL) {
    (*env)->ThrowNew(env, cls_native, "cannot create TurboJPEG handles");
    return 0;
  }
  return (jlong)(intptr_t)h;
}

JNIEXPORT void JNICALL JNI_FN(destroy)(JNIEnv *env, jclass cls, jlong ptr) {
  (void)env; (void)cls;
  fc_destroy((fc_handle *)(intptr_t)ptr);
}

JNIEXPORT jlong JNICALL JNI_FN(scratchBytes)(JNIEnv *env, jclass cls, jlong ptr) {
  (void)env; (void)cls;
  return (jlong)fc_scratch_bytes((const fc_handle *)(intptr_t)ptr);
}

JNIEXPORT jlong JNICALL JNI_FN(bufSize)(JNIEnv *env, jclass cls, jint width, jint height,
                                        jint subsamp) {
  (void)cls;
  unsigned long size = tjBufSize(width, height, subsamp);
  if (size == (unsigned long)-1) {
    (*env)->ThrowNew(env, cls_illegal_arg, tjGetErrorStr2(NULL));
    return -1;
  }
  return (jlong)size;
}

JNIEXPORT jint JNICALL JNI_FN(compress)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                        jboolean src_is_array, jint src_off, jint width,
                                        jint pitch, jint height, jint pixel_format, jint color,
                                        jint subsamp, jint quality, jint flags, jobject dst,
                                        jboolean dst_is_array, jint dst_off) {
  (void)cls;
  call c = CALL(env, src, src_is_array, dst, dst_is_array);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  jint result = -1;
  size_t n = 0;
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, pin_all(&c, 1) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, src_off, 0) || !in_bounds(c.out.capacity, dst_off, 0),
          cls_illegal_arg, "buffer offset is outside its buffer");
  BAIL_ON(&c, fc_compress(h, c.in.base + src_off, (size_t)(c.in.capacity - src_off), width, pitch,
                          height, pixel_format, color, subsamp, quality, flags,
                          c.out.base + dst_off, (size_t)(c.out.capacity - dst_off), &n, c.msg,
                          sizeof(c.msg)));
  result = (jint)n;
done:
  finish(&c);
  return result;
}

JNIEXPORT jint JNICALL JNI_FN(compressPlanes)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                              jboolean src_is_array, jint y_off, jint y_stride,
                                              jint u_off, jint v_off, jint c_stride,
                                              jboolean interleaved_uv, jint width, jint height,
                                              jint quality, jint flags, jobject dst,
                                              jboolean dst_is_array, jint dst_off) {
  (void)cls;
  call c = CALL(env, src, src_is_array, dst, dst_is_array);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  jint result = -1;
  size_t n = 0;
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, pin_all(&c, 1) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, y_off < 0 || u_off < 0 || (!interleaved_uv && v_off < 0) ||
                  !in_bounds(c.out.capacity, dst_off, 0),
          cls_illegal_arg, "plane or buffer offset is negative or outside its buffer");
  BAIL_ON(&c, fc_compress_planes(h, c.in.base, (size_t)c.in.capacity, (size_t)y_off, y_stride,
                                 (size_t)u_off, interleaved_uv ? 0 : (size_t)v_off, c_stride,
                                 interleaved_uv, width, height, quality, flags,
                                 c.out.base + dst_off, (size_t)(c.out.capacity - dst_off), &n,
                                 c.msg, sizeof(c.msg)));
  result = (jint)n;
done:
  finish(&c);
  return result;
}

JNIEXPORT void JNICALL JNI_FN(readHeader)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                          jboolean src_is_array, jint off, jint len,
                                          jintArray out4) {
  (void)cls;
  call c = CALL(env, src, src_is_array, NULL, JNI_FALSE);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  fc_header hdr = {0, 0, 0, 0};
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, out4 == NULL || (*env)->GetArrayLength(env, out4) < 4, cls_illegal_arg,
          "header output array must hold 4 ints");
  BAIL_IF(&c, pin_all(&c, 0) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, off, len) || len == 0, cls_illegal_arg,
          "payload range is outside its buffer");
  BAIL_ON(&c, fc_read_header(h, c.in.base + off, (size_t)len, &hdr, c.msg, sizeof(c.msg)));
done:
  finish(&c);
  if (c.err == NULL) {
    jint info[4] = {hdr.width, hdr.height, hdr.subsamp, hdr.colorspace};
    (*env)->SetIntArrayRegion(env, out4, 0, 4, info);
  }
}

JNIEXPORT void JNICALL JNI_FN(decompress)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                          jboolean src_is_array, jint off, jint len, jint denom,
                                          jobject dst, jboolean dst_is_array, jint dst_off,
                                          jint width, jint pitch, jint height, jint pixel_format,
                                          jint color, jint flags) {
  (void)cls;
  call c = CALL(env, src, src_is_array, dst, dst_is_array);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, pin_all(&c, 1) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, off, len) || len == 0, cls_illegal_arg,
          "payload range is outside its buffer");
  BAIL_IF(&c, !in_bounds(c.out.capacity, dst_off, 0), cls_illegal_arg,
          "destination offset is outside its buffer");
  BAIL_ON(&c, fc_decompress_scaled(h, c.in.base + off, (size_t)len, denom, c.out.base + dst_off,
                                   (size_t)(c.out.capacity - dst_off), width, pitch, height,
                                   pixel_format, color, flags, c.msg, sizeof(c.msg)));
done:
  finish(&c);
}

JNIEXPORT void JNICALL JNI_FN(decompressToPlanes)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                                  jboolean src_is_array, jint off, jint len,
                                                  jobject dst, jboolean dst_is_array, jint y_off,
                                                  jint y_stride, jint u_off, jint v_off,
                                                  jint c_stride, jint width, jint height,
                                                  jint flags) {
  (void)cls;
  call c = CALL(env, src, src_is_array, dst, dst_is_array);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, pin_all(&c, 1) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, off, len) || len == 0, cls_illegal_arg,
          "payload range is outside its buffer");
  BAIL_IF(&c, y_off < 0 || u_off < 0 || v_off < 0, cls_illegal_arg, "plane offset is negative");
  BAIL_ON(&c, fc_decompress_planes(h, c.in.base + off, (size_t)len, c.out.base,
                                   (size_t)c.out.capacity, (size_t)y_off, y_stride,
                                   (size_t)u_off, (size_t)v_off, c_stride, width, height, flags,
                                   c.msg, sizeof(c.msg)));
done:
  finish(&c);
}

JNIEXPORT void JNICALL JNI_FN(validate)(JNIEnv *env, jclass cls, jlong ptr, jobject src,
                                        jboolean src_is_array, jint off, jint len) {
  (void)cls;
  call c = CALL(env, src, src_is_array, NULL, JNI_FALSE);
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  BAIL_IF(&c, h == NULL, cls_illegal_arg, "native handle is closed");
  BAIL_IF(&c, pin_all(&c, 0) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, off, len) || len == 0, cls_illegal_arg,
          "payload range is outside its buffer");
  BAIL_ON(&c, fc_validate(h, c.in.base + off, (size_t)len, c.msg, sizeof(c.msg)));
done:
  finish(&c);
}

#define TENSOR_FN(name) Java_org_framecodec_detect_TensorNative_##name

JNIEXPORT jint JNICALL TENSOR_FN(selfCheck)(JNIEnv *env, jclass cls, jint linear, jint area) {
  (void)env; (void)cls;
  return linear == FC_INTERP_LINEAR && area == FC_INTERP_AREA;
}

/*
 * geometry: sw, sh, spitch, channels, src_rgb, width, height, nchw, rgb, pad, interpolation,
 * resized_width, resized_height, pad_x, pad_y, dst_offset (in floats); norm: mean[3], scale[3].
 */
JNIEXPORT void JNICALL TENSOR_FN(letterbox)(JNIEnv *env, jclass cls, jobject src,
                                            jboolean src_is_array, jint src_off,
                                            jintArray geometry, jfloatArray norm, jobject dst) {
  (void)cls;
  call c = CALL(env, src, src_is_array, NULL, JNI_FALSE);
  jint g[16];
  jfloat n[6];
  BAIL_IF(&c, geometry == NULL || (*env)->GetArrayLength(env, geometry) != 16 || norm == NULL ||
                  (*env)->GetArrayLength(env, norm) != 6,
          cls_illegal_arg, "geometry must hold 16 ints and norm 6 floats");
  (*env)->GetIntArrayRegion(env, geometry, 0, 16, g);
  (*env)->GetFloatArrayRegion(env, norm, 0, 6, n);
  float *out = dst == NULL ? NULL : (float *)(*env)->GetDirectBufferAddress(env, dst);
  jlong out_floats = dst == NULL ? -1 : (*env)->GetDirectBufferCapacity(env, dst);
  BAIL_IF(&c, out == NULL || out_floats < 0, cls_illegal_arg,
          "the tensor must be a direct FloatBuffer");
  BAIL_IF(&c, !in_bounds(out_floats, g[15], 0), cls_illegal_arg,
          "tensor slot offset is outside the tensor");
  BAIL_IF(&c, pin_all(&c, 0) != 0, cls_illegal_arg, c.err);
  BAIL_IF(&c, !in_bounds(c.in.capacity, src_off, 0), cls_illegal_arg,
          "source offset is outside its buffer");
  fc_slot slot = {g[5], g[6], g[7], g[8], {n[0], n[1], n[2]}, {n[3], n[4], n[5]}, g[9], g[10],
                  g[11], g[12], g[13], g[14]};
  BAIL_ON(&c, fc_letterbox(c.in.base + src_off, (size_t)(c.in.capacity - src_off), g[0], g[1],
                           g[2], g[3], g[4], &slot, out + g[15], (size_t)(out_floats - g[15]),
                           c.msg, sizeof(c.msg)));
done:
  finish(&c);
}
