/*
 * FrameCodec's codec core: the TurboJPEG calls, the length checks and the cv2-yuv colour
 * transform, with no JNI in sight.
 *
 * framecodec_turbojpeg.c (the JNI shim) pins Java memory and calls these functions; the fuzz
 * harness in src/test/c calls them directly on hostile bytes under AddressSanitizer. Keeping the
 * decode path JNI-free is what makes it fuzzable: whatever the harness proves about it holds for
 * the shim, which adds only pinning and the mapping of fc_status to Java exceptions.
 *
 * Contract of every function here:
 *  - Pointers are plain memory; each output region comes with its capacity in bytes, counted from
 *    the pointer. A function never reads or writes outside the ranges it is given: every
 *    geometry is checked against those capacities before TurboJPEG sees it.
 *  - On failure the return value says which kind (it selects the Java exception) and msg holds
 *    a NUL-terminated explanation (TurboJPEG's own text where it has one).
 *  - A handle is not thread-safe; one caller at a time, one fc_destroy.
 */
#ifndef FC_CODEC_H
#define FC_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* Must equal the constants in TurboJpegNative.java; checked at load time by selfCheck. */
#define FC_COLOR_NONE 0
#define FC_COLOR_CV2_YUV 1
/* Room for an error message, including its NUL. */
#define FC_MSG_MAX 256

typedef enum fc_status {
  FC_OK = 0,
  FC_ERR_ARG,         /* a geometry, length or option the caller should have refused */
  FC_ERR_CORRUPT,     /* the JPEG is damaged, truncated or not a JPEG */
  FC_ERR_UNSUPPORTED, /* a well-formed JPEG this library does not decode (e.g. CMYK) */
  FC_ERR_NATIVE,      /* TurboJPEG failed on valid input */
  FC_ERR_NOMEM        /* scratch memory could not be allocated */
} fc_status;

typedef struct fc_handle fc_handle;

typedef struct fc_header {
  int width;
  int height;
  int subsamp;    /* TJSAMP_* */
  int colorspace; /* TJCS_* */
} fc_header;

/* A new handle (compressor, decompressor, empty scratch), or NULL when out of memory. */
fc_handle *fc_create(void);

/* Frees the handle and its scratch; NULL is ignored. */
void fc_destroy(fc_handle *h);

/* Bytes of scratch the handle holds now (for tests of its growth). */
size_t fc_scratch_bytes(const fc_handle *h);

/* Reads the JPEG header in jpeg[0, len). CMYK and YCCK JPEGs are FC_ERR_UNSUPPORTED. */
fc_status fc_read_header(fc_handle *h, const unsigned char *jpeg, size_t len, fc_header *out,
                         char *msg, size_t msg_cap);

/*
 * Decodes jpeg[0, len) into dst: height rows of width pixels of pixel_format (TJPF_BGR, _RGB or
 * _GRAY), pitch bytes apart, in dst[0, dst_cap). width and height must equal the header's.
 * color FC_COLOR_CV2_YUV reads the payload as the Python peer's YUV-in-BGR recipe and converts
 * to BGR or RGB. Stops at libjpeg's first warning, so damage is FC_ERR_CORRUPT, never a
 * half-grey frame; on failure dst's contents are unspecified.
 */
fc_status fc_decompress(fc_handle *h, const unsigned char *jpeg, size_t len, unsigned char *dst,
                        size_t dst_cap, int width, int pitch, int height, int pixel_format,
                        int color, int flags, char *msg, size_t msg_cap);

/* Width or height of an image decoded at 1/denom (denom 1, 2, 4 or 8): TurboJPEG's
 * ceil(dim / denom); 0 for a dimension or denominator outside those. */
int fc_scaled_size(int dim, int denom);

/*
 * fc_decompress at 1/denom of the JPEG's size (denom 1, 2, 4 or 8, the factors with SIMD inverse
 * DCTs): width and height must equal fc_scaled_size of the header's. The DCT does the scaling,
 * so the entropy decode is the only full-size work. The cv2-yuv transform runs on the small
 * image. Same guards and failure modes as fc_decompress.
 */
fc_status fc_decompress_scaled(fc_handle *h, const unsigned char *jpeg, size_t len, int denom,
                               unsigned char *dst, size_t dst_cap, int width, int pitch,
                               int height, int pixel_format, int color, int flags, char *msg,
                               size_t msg_cap);

/*
 * Decodes a YCbCr 4:2:0 JPEG into I420 planes inside dst[0, dst_cap): Y at y_off with y_stride,
 * U and V at u_off and v_off with c_stride, each (width+1)/2 x (height+1)/2. Any other layout is
 * FC_ERR_UNSUPPORTED.
 */
fc_status fc_decompress_planes(fc_handle *h, const unsigned char *jpeg, size_t len,
                               unsigned char *dst, size_t dst_cap, size_t y_off, int y_stride,
                               size_t u_off, size_t v_off, int c_stride, int width, int height,
                               int flags, char *msg, size_t msg_cap);

/*
 * Encodes height rows of width pixels of pixel_format, pitch bytes apart, from src[0, src_cap)
 * into dst[0, dst_cap), which must hold tjBufSize(width, height, subsamp); *out_len gets the
 * payload length.
 */
fc_status fc_compress(fc_handle *h, const unsigned char *src, size_t src_cap, int width, int pitch,
                      int height, int pixel_format, int color, int subsamp, int quality, int flags,
                      unsigned char *dst, size_t dst_cap, size_t *out_len, char *msg,
                      size_t msg_cap);

/*
 * Encodes 4:2:0 planes from src[0, src_cap): Y at y_off, U at u_off and V at v_off (I420), or
 * interleaved UV at u_off (NV12, interleaved_uv != 0), into dst like fc_compress.
 */
fc_status fc_compress_planes(fc_handle *h, const unsigned char *src, size_t src_cap, size_t y_off,
                             int y_stride, size_t u_off, size_t v_off, int c_stride,
                             int interleaved_uv, int width, int height, int quality, int flags,
                             unsigned char *dst, size_t dst_cap, size_t *out_len, char *msg,
                             size_t msg_cap);

/*
 * Decodes jpeg[0, len) at 1/8 scale to gray into the handle's scratch and throws the pixels
 * away, stopping at libjpeg's first warning: a whole entropy decode of every scan (where
 * truncation and corrupt data show) for about a tenth of the output work. The OpenCV backend
 * calls it before imdecode, which decodes past warnings into grey fill. FC_OK when libjpeg-turbo
 * would decode the payload without a warning.
 */
fc_status fc_validate(fc_handle *h, const unsigned char *jpeg, size_t len, char *msg,
                      size_t msg_cap);

#endif /* FC_CODEC_H */
