// FrameCodec's model-input kernel for images nvJPEG decoded on the GPU: the same job as
// fc_tensor.c's fc_letterbox (bilinear, OpenCV's pixel-centre rule, letterbox padding, channel
// order, per-channel normalisation, NCHW or NHWC), plus the cv2-yuv colour transform, for a
// batch of images in one launch. Compiled at run time by NVRTC (NvJpegDecoder).
//
// One thread per output pixel; blockIdx.y is the image. Each image's source is three planes
// (B, G, R as nvJPEG's NVJPEG_OUTPUT_BGR writes them) of w x h bytes, pitch bytes apart.

struct fc_image {
  const unsigned char *plane[3];
  long long pitch;
  int w, h;          // decoded size
  int rw, rh;        // size it is resized to inside the slot
  int px, py;        // where it lands
  int cv2yuv;        // 1: the planes hold Y, U, V of the peer's recipe
  int pad_;
};

__device__ static float sample(const unsigned char *p, long long pitch, int x0, int x1, int y0,
                               int y1, float tx, float ty) {
  float a = p[y0 * pitch + x0], b = p[y0 * pitch + x1];
  float c = p[y1 * pitch + x0], d = p[y1 * pitch + x1];
  float top = a + (b - a) * tx, bottom = c + (d - c) * tx;
  return top + (bottom - top) * ty;
}

// One axis of bilinear sampling: source indices and weight for output coordinate i of n taken
// from m source pixels.
__device__ static void axis(int i, int n, int m, int *i0, int *i1, float *t) {
  float f = (i + 0.5f) * ((float)m / (float)n) - 0.5f;
  int x0 = (int)floorf(f);
  float w = f - x0;
  if (x0 < 0) { x0 = 0; w = 0.f; }
  if (x0 >= m - 1) { x0 = m - 1; w = 0.f; }
  *i0 = x0;
  *i1 = x0 + 1 < m ? x0 + 1 : x0;
  *t = w;
}

__device__ static float clamp255(float v) { return fminf(255.f, fmaxf(0.f, v)); }

extern "C" __global__ void fc_letterbox_batch(const fc_image *images, float *out, int width,
                                              int height, int nchw, int rgb, float m0, float m1,
                                              float m2, float s0, float s1, float s2, float pad) {
  int pixel = blockIdx.x * blockDim.x + threadIdx.x;
  int plane = width * height;
  if (pixel >= plane) return;
  const fc_image im = images[blockIdx.y];
  int x = pixel % width, y = pixel / width;
  float b = pad, g = pad, r = pad;
  if (x >= im.px && x < im.px + im.rw && y >= im.py && y < im.py + im.rh) {
    int x0, x1, y0, y1;
    float tx, ty;
    axis(x - im.px, im.rw, im.w, &x0, &x1, &tx);
    axis(y - im.py, im.rh, im.h, &y0, &y1, &ty);
    b = sample(im.plane[0], im.pitch, x0, x1, y0, y1, tx, ty);
    g = sample(im.plane[1], im.pitch, x0, x1, y0, y1, tx, ty);
    r = sample(im.plane[2], im.pitch, x0, x1, y0, y1, tx, ty);
    if (im.cv2yuv) {
      // OpenCV's COLOR_YUV2BGR (BT.601, the coefficients of its 14-bit fixed point), on the
      // resampled Y, U, V.
      float yy = b, u = g - 128.f, v = r - 128.f;
      b = clamp255(yy + u * (33292.f / 16384.f));
      g = clamp255(yy + v * (-9519.f / 16384.f) + u * (-6472.f / 16384.f));
      r = clamp255(yy + v * (18678.f / 16384.f));
    }
  }
  float c0 = rgb ? r : b, c2 = rgb ? b : r;
  float *slot = out + (long long)blockIdx.y * 3 * plane;
  float v0 = (c0 - m0) * s0, v1 = (g - m1) * s1, v2 = (c2 - m2) * s2;
  if (nchw) {
    slot[pixel] = v0;
    slot[plane + pixel] = v1;
    slot[2 * plane + pixel] = v2;
  } else {
    slot[3 * pixel] = v0;
    slot[3 * pixel + 1] = v1;
    slot[3 * pixel + 2] = v2;
  }
}
