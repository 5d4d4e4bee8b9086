/*
 * FrameCodec JNI shim over the TurboJPEG API.
 *
 * Rules this file keeps:
 *  - Every length is checked again here, even though the Java side checked it first.
 *  - A pinned array is released before any exception is thrown or any other JNI call.
 *  - Each exported function has one exit path through "done".
 *  - One handle (struct fc_handle) belongs to exactly one Java TurboJpegCodec; it is
 *    not thread-safe, and the Java object guarantees single-threaded use and one destroy.
 */
#include <jni.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "org_framecodec_natives_TurboJpegNative.h"

/* Must equal the constants in TurboJpegNative.java; checked by fcSelfCheck. */
#define FC_MSG_MAX 256
#define FC_COLOR_NONE 0
#define FC_COLOR_CV2_YUV 1

typedef struct fc_handle {
  tjhandle compressor;
  tjhandle decompressor;
  unsigned char *scratch;
  size_t scratch_cap;
} fc_handle;

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

static int tj_pixel_size(int pf) {
  return (pf >= 0 && pf < TJ_NUMPF) ? tjPixelSize[pf] : 0;
}

/* Bytes an image of rows x (width*pixel) occupies with the given pitch. */
static jlong image_span(jint width, jint height, jint pitch, int pixel_size) {
  if (width <= 0 || height <= 0 || pixel_size <= 0) return -1;
  jlong row = (jlong)width * pixel_size;
  if (pitch < row) return -1;
  return (jlong)pitch * (height - 1) + row;
}

/*
 * OpenCV's COLOR_BGR2YUV / COLOR_YUV2BGR for 8-bit data: BT.601 in 14-bit fixed point, round
 * half up, saturate. The rows are written with constant channel indices and branch-free clamps
 * so gcc vectorises them; target_clones adds an AVX2 build picked at load time.
 */
/* Deinterleaving first lets the arithmetic run on planar int16 lanes, which vectorises well. */
#define FC_ROW_SPLIT(name, BI, RI)                                                    \
  __attribute__((target_clones("avx2", "default"))) static void name(                \
      const unsigned char *restrict s, int16_t *restrict b, int16_t *restrict g,     \
      int16_t *restrict r, jint width) {                                             \
    for (jint x = 0; x < width; x++) {                                               \
      b[x] = s[3 * x + BI];                                                          \
      g[x] = s[3 * x + 1];                                                           \
      r[x] = s[3 * x + RI];                                                          \
    }                                                                                \
  }
FC_ROW_SPLIT(split_bgr_row, 0, 2)
FC_ROW_SPLIT(split_rgb_row, 2, 0)

__attribute__((target_clones("avx2", "default"))) static void planar_to_cv2yuv_row(
    const int16_t *restrict b, const int16_t *restrict g, const int16_t *restrict r,
    unsigned char *restrict d, jint width) {
  for (jint x = 0; x < width; x++) {
    int yy = (b[x] * 1868 + g[x] * 9617 + r[x] * 4899 + (1 << 13)) >> 14;
    int u = ((b[x] - yy) * 8061 + (128 << 14) + (1 << 13)) >> 14;
    int v = ((r[x] - yy) * 14369 + (128 << 14) + (1 << 13)) >> 14;
    u = u < 0 ? 0 : u;
    u = u > 255 ? 255 : u;
    v = v < 0 ? 0 : v;
    v = v > 255 ? 255 : v;
    d[3 * x] = (unsigned char)yy;
    d[3 * x + 1] = (unsigned char)u;
    d[3 * x + 2] = (unsigned char)v;
  }
}

#define FC_ROW_FROM_CV2YUV(name, BI, RI)                                              \
  __attribute__((target_clones("avx2", "default"))) static void name(                \
      const unsigned char *restrict s, unsigned char *restrict d, jint width) {      \
    for (jint x = 0; x < width; x++) {                                               \
      int yy = s[3 * x], u = s[3 * x + 1] - 128, v = s[3 * x + 2] - 128;             \
      int b = yy + ((u * 33292 + (1 << 13)) >> 14);                                  \
      int g = yy + ((v * -9519 + u * -6472 + (1 << 13)) >> 14);                      \
      int r = yy + ((v * 18678 + (1 << 13)) >> 14);                                  \
      b = b < 0 ? 0 : b;                                                             \
      b = b > 255 ? 255 : b;                                                         \
      g = g < 0 ? 0 : g;                                                             \
      g = g > 255 ? 255 : g;                                                         \
      r = r < 0 ? 0 : r;                                                             \
      r = r > 255 ? 255 : r;                                                         \
      d[3 * x + BI] = (unsigned char)b;                                              \
      d[3 * x + 1] = (unsigned char)g;                                               \
      d[3 * x + RI] = (unsigned char)r;                                              \
    }                                                                                \
  }
FC_ROW_FROM_CV2YUV(cv2yuv_row_to_bgr, 0, 2)
FC_ROW_FROM_CV2YUV(cv2yuv_row_to_rgb, 2, 0)

/* row: 3 * width int16 of scratch for the split planes. */
static void bgr_to_cv2yuv(const unsigned char *src, jint src_pitch, int blue_first,
                          unsigned char *dst, jint dst_pitch, int16_t *row, jint width,
                          jint height) {
  int16_t *b = row, *g = row + width, *r = row + 2 * (size_t)width;
  for (jint y = 0; y < height; y++) {
    const unsigned char *s = src + (size_t)y * src_pitch;
    if (blue_first)
      split_bgr_row(s, b, g, r, width);
    else
      split_rgb_row(s, b, g, r, width);
    planar_to_cv2yuv_row(b, g, r, dst + (size_t)y * dst_pitch, width);
  }
}

/* In place, through a one-row buffer (the row functions take non-aliasing pointers). */
static void cv2yuv_to_bgr_inplace(unsigned char *img, jint pitch, int blue_first,
                                  unsigned char *row, jint width, jint height) {
  size_t row_bytes = (size_t)width * 3;
  for (jint y = 0; y < height; y++) {
    unsigned char *p = img + (size_t)y * pitch;
    memcpy(row, p, row_bytes);
    if (blue_first)
      cv2yuv_row_to_bgr(row, p, width);
    else
      cv2yuv_row_to_rgb(row, p, width);
  }
}

static int ensure_scratch(fc_handle *h, size_t need) {
  if (h->scratch_cap >= need) return 0;
  unsigned char *grown = (unsigned char *)realloc(h->scratch, need);
  if (grown == NULL) return -1;
  h->scratch = grown;
  h->scratch_cap = need;
  return 0;
}

static fc_handle *as_handle(JNIEnv *env, jlong ptr) {
  if (ptr == 0) {
    (*env)->ThrowNew(env, cls_illegal_arg, "native handle is closed");
    return NULL;
  }
  return (fc_handle *)(intptr_t)ptr;
}

/* TurboJPEG's message, copied out before the pins are released. */
static void tj_message(tjhandle tj, char *out, size_t cap) {
  const char *msg = tjGetErrorStr2(tj);
  strncpy(out, msg != NULL ? msg : "unknown TurboJPEG error", cap - 1);
  out[cap - 1] = '\0';
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
  fc_handle *h = (fc_handle *)calloc(1, sizeof(fc_handle));
  if (h == NULL) goto fail;
  h->compressor = tjInitCompress();
  h->decompressor = tjInitDecompress();
  if (h->compressor == NULL || h->decompressor == NULL) goto fail;
  return (jlong)(intptr_t)h;
fail:
  if (h != NULL) {
    if (h->compressor) tjDestroy(h->compressor);
    if (h->decompressor) tjDestroy(h->decompressor);
    free(h);
  }
  (*env)->ThrowNew(env, cls_native, "cannot create TurboJPEG handles");
  return 0;
}

JNIEXPORT void JNICALL Java_org_framecodec_natives_TurboJpegNative_destroy(JNIEnv *env,
                                                                           jclass cls,
                                                                           jlong ptr) {
  (void)env; (void)cls;
  fc_handle *h = (fc_handle *)(intptr_t)ptr;
  if (h == NULL) return;
  tjDestroy(h->compressor);
  tjDestroy(h->decompressor);
  free(h->scratch);
  free(h);
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
  char tj_err[FC_MSG_MAX];
  jint result = -1;

  int ps = tj_pixel_size(pixel_format);
  jlong span = image_span(width, height, pitch, ps);
  unsigned long max_size = tjBufSize(width, height, subsamp);
  if (span < 0 || quality < 1 || quality > 100 || max_size == (unsigned long)-1 ||
      (color == FC_COLOR_CV2_YUV && ps != 3) ||
      (color != FC_COLOR_NONE && color != FC_COLOR_CV2_YUV)) {
    err_cls = cls_illegal_arg;
    err = "invalid image geometry, pixel format, subsampling or quality";
    goto done;
  }
  /* The converted image, then one row of int16 planes. */
  size_t image_bytes = ((size_t)width * height * 3 + 15) & ~(size_t)15; /* keeps the int16 row aligned */
  if (color == FC_COLOR_CV2_YUV &&
      ensure_scratch(h, image_bytes + (size_t)width * 3 * sizeof(int16_t)) != 0) {
    err_cls = cls_oom;
    err = "cannot allocate colour conversion scratch";
    goto done;
  }
  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, src_off, span)) {
    err_cls = cls_illegal_arg;
    err = "source buffer is smaller than the image";
    goto done;
  }
  if (!in_bounds(out.capacity, dst_off, (jlong)max_size)) {
    err_cls = cls_illegal_arg;
    err = "destination buffer is smaller than tjBufSize for this image";
    goto done;
  }

  const unsigned char *pixels = in.base + src_off;
  jint tj_pitch = pitch;
  jint tj_format = pixel_format;
  if (color == FC_COLOR_CV2_YUV) {
    bgr_to_cv2yuv(pixels, pitch, pixel_format == TJPF_BGR, h->scratch, width * 3,
                  (int16_t *)(void *)(h->scratch + image_bytes), width, height);
    pixels = h->scratch;
    tj_pitch = width * 3;
    /* The peer hands the YUV planes to imencode as if they were B, G, R. */
    tj_format = TJPF_BGR;
  }
  unsigned char *jpeg = out.base + dst_off;
  unsigned long jpeg_size = max_size;
  if (tjCompress2(h->compressor, pixels, width, tj_pitch, height, tj_format, &jpeg,
                  &jpeg_size, subsamp, quality, flags | TJFLAG_NOREALLOC) != 0) {
    tj_message(h->compressor, tj_err, sizeof(tj_err));
    err_cls = cls_native;
    err = tj_err;
    goto done;
  }
  if (jpeg != out.base + dst_off || jpeg_size > max_size) {
    err_cls = cls_native;
    err = "TurboJPEG moved or overran the destination buffer";
    goto done;
  }
  result = (jint)jpeg_size;

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
  char tj_err[FC_MSG_MAX];
  jint result = -1;

  jint cw = (width + 1) / 2, ch = (height + 1) / 2;
  jlong chroma_row = interleaved_uv ? (jlong)cw * 2 : cw;
  unsigned long max_size = tjBufSize(width, height, TJSAMP_420);
  if (width <= 0 || height <= 0 || quality < 1 || quality > 100 || y_stride < width ||
      c_stride < chroma_row || max_size == (unsigned long)-1) {
    err_cls = cls_illegal_arg;
    err = "invalid planar geometry or quality";
    goto done;
  }
  if (interleaved_uv && ensure_scratch(h, (size_t)cw * ch * 2) != 0) {
    err_cls = cls_oom;
    err = "cannot allocate chroma scratch";
    goto done;
  }
  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  jlong y_span = (jlong)y_stride * (height - 1) + width;
  jlong c_span = (jlong)c_stride * (ch - 1) + chroma_row;
  if (!in_bounds(in.capacity, y_off, y_span) || !in_bounds(in.capacity, u_off, c_span) ||
      (!interleaved_uv && !in_bounds(in.capacity, v_off, c_span))) {
    err_cls = cls_illegal_arg;
    err = "source buffer is smaller than the planes";
    goto done;
  }
  if (!in_bounds(out.capacity, dst_off, (jlong)max_size)) {
    err_cls = cls_illegal_arg;
    err = "destination buffer is smaller than tjBufSize for this image";
    goto done;
  }

  const unsigned char *planes[3];
  int strides[3] = {y_stride, c_stride, c_stride};
  planes[0] = in.base + y_off;
  if (interleaved_uv) {
    /* NV12 -> separate U and V planes; TurboJPEG takes planar input only. */
    unsigned char *u = h->scratch, *v = h->scratch + (size_t)cw * ch;
    for (jint row = 0; row < ch; row++) {
      const unsigned char *s = in.base + u_off + (jlong)row * c_stride;
      for (jint x = 0; x < cw; x++) {
        u[(size_t)row * cw + x] = s[2 * x];
        v[(size_t)row * cw + x] = s[2 * x + 1];
      }
    }
    planes[1] = u;
    planes[2] = v;
    strides[1] = strides[2] = cw;
  } else {
    planes[1] = in.base + u_off;
    planes[2] = in.base + v_off;
  }
  unsigned char *jpeg = out.base + dst_off;
  unsigned long jpeg_size = max_size;
  if (tjCompressFromYUVPlanes(h->compressor, planes, width, strides, height, TJSAMP_420,
                              &jpeg, &jpeg_size, quality, flags | TJFLAG_NOREALLOC) != 0) {
    tj_message(h->compressor, tj_err, sizeof(tj_err));
    err_cls = cls_native;
    err = tj_err;
    goto done;
  }
  if (jpeg != out.base + dst_off || jpeg_size > max_size) {
    err_cls = cls_native;
    err = "TurboJPEG moved or overran the destination buffer";
    goto done;
  }
  result = (jint)jpeg_size;

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
  char tj_err[FC_MSG_MAX];
  jint info[4] = {0, 0, 0, 0};

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
  int w = 0, ht = 0, samp = -1, cs = -1;
  if (tjDecompressHeader3(h->decompressor, in.base + off, (unsigned long)len, &w, &ht, &samp,
                          &cs) != 0) {
    tj_message(h->decompressor, tj_err, sizeof(tj_err));
    err_cls = cls_corrupt;
    err = tj_err;
    goto done;
  }
  info[0] = w;
  info[1] = ht;
  info[2] = samp;
  info[3] = cs;

done:
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) {
    (*env)->ThrowNew(env, err_cls, err);
    return;
  }
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
  char tj_err[FC_MSG_MAX];

  int ps = tj_pixel_size(pixel_format);
  jlong span = image_span(width, height, pitch, ps);
  if (span < 0 || (color == FC_COLOR_CV2_YUV && ps != 3) ||
      (color != FC_COLOR_NONE && color != FC_COLOR_CV2_YUV)) {
    err_cls = cls_illegal_arg;
    err = "invalid output geometry or pixel format";
    goto done;
  }
  if (color == FC_COLOR_CV2_YUV && ensure_scratch(h, (size_t)width * 3) != 0) {
    err_cls = cls_oom;
    err = "cannot allocate colour conversion scratch";
    goto done;
  }
  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, off, len) || len == 0) {
    err_cls = cls_illegal_arg;
    err = "payload range is outside its buffer";
    goto done;
  }
  if (!in_bounds(out.capacity, dst_off, span)) {
    err_cls = cls_illegal_arg;
    err = "destination buffer is smaller than the image";
    goto done;
  }
  int w = 0, ht = 0, samp = -1, cs = -1;
  if (tjDecompressHeader3(h->decompressor, in.base + off, (unsigned long)len, &w, &ht, &samp,
                          &cs) != 0) {
    tj_message(h->decompressor, tj_err, sizeof(tj_err));
    err_cls = cls_corrupt;
    err = tj_err;
    goto done;
  }
  if (w != width || ht != height) {
    /* The payload changed between readHeader and here, or the caller lied. */
    err_cls = cls_illegal_arg;
    err = "JPEG dimensions differ from the destination frame";
    goto done;
  }
  unsigned char *pixels = out.base + dst_off;
  if (tjDecompress2(h->decompressor, in.base + off, (unsigned long)len, pixels, width, pitch,
                    height, color == FC_COLOR_CV2_YUV ? TJPF_BGR : pixel_format,
                    flags | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
    tj_message(h->decompressor, tj_err, sizeof(tj_err));
    err_cls = cls_corrupt;
    err = tj_err;
    goto done;
  }
  if (color == FC_COLOR_CV2_YUV)
    cv2yuv_to_bgr_inplace(pixels, pitch, pixel_format == TJPF_BGR, h->scratch, width, height);

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
  char tj_err[FC_MSG_MAX];

  jint cw = (width + 1) / 2, ch = (height + 1) / 2;
  if (width <= 0 || height <= 0 || y_stride < width || c_stride < cw) {
    err_cls = cls_illegal_arg;
    err = "invalid planar geometry";
    goto done;
  }
  if (pin(env, &in, &err) != 0 || pin(env, &out, &err) != 0) {
    err_cls = cls_illegal_arg;
    goto done;
  }
  if (!in_bounds(in.capacity, off, len) || len == 0) {
    err_cls = cls_illegal_arg;
    err = "payload range is outside its buffer";
    goto done;
  }
  jlong y_span = (jlong)y_stride * (height - 1) + width;
  jlong c_span = (jlong)c_stride * (ch - 1) + cw;
  if (!in_bounds(out.capacity, y_off, y_span) || !in_bounds(out.capacity, u_off, c_span) ||
      !in_bounds(out.capacity, v_off, c_span)) {
    err_cls = cls_illegal_arg;
    err = "destination buffer is smaller than the planes";
    goto done;
  }
  int w = 0, ht = 0, samp = -1, cs = -1;
  if (tjDecompressHeader3(h->decompressor, in.base + off, (unsigned long)len, &w, &ht, &samp,
                          &cs) != 0) {
    tj_message(h->decompressor, tj_err, sizeof(tj_err));
    err_cls = cls_corrupt;
    err = tj_err;
    goto done;
  }
  if (w != width || ht != height) {
    err_cls = cls_illegal_arg;
    err = "JPEG dimensions differ from the destination frame";
    goto done;
  }
  if (samp != TJSAMP_420 || cs != TJCS_YCbCr) {
    /* Any other layout would need resampling; the Java side asks for BGR instead. */
    err_cls = cls_unsupported;
    err = "I420 output needs a YCbCr 4:2:0 JPEG";
    goto done;
  }
  unsigned char *planes[3] = {out.base + y_off, out.base + u_off, out.base + v_off};
  int strides[3] = {y_stride, c_stride, c_stride};
  if (tjDecompressToYUVPlanes(h->decompressor, in.base + off, (unsigned long)len, planes,
                              width, strides, height,
                              flags | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
    tj_message(h->decompressor, tj_err, sizeof(tj_err));
    err_cls = cls_corrupt;
    err = tj_err;
    goto done;
  }

done:
  unpin(env, &out, err == NULL ? 0 : JNI_ABORT);
  unpin(env, &in, JNI_ABORT);
  if (err != NULL) (*env)->ThrowNew(env, err_cls, err);
}
