// Many small square marks on a canvas, written straight into the pixel buffer: at 50,000+ points this is
// several times faster than one fillRect (and one colour parse) per point. Points are drawn in the order
// given; colours are CSS strings, parsed once each.
import { color as parseColour } from 'd3';

// xs, ys: CSS-pixel positions; colourOf(k) -> CSS colour of point k; size: the square's side in CSS pixels.
export function drawSquares(canvas, widthCss, heightCss, xs, ys, colourOf, { size = 2.4, order = null } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(widthCss * ratio);
  const h = Math.round(heightCss * ratio);
  const context = canvas.getContext('2d');
  const image = context.createImageData(w, h);
  const pixels = new Uint32Array(image.data.buffer);
  const cache = new Map();
  const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const packed = (css) => {
    let value = cache.get(css);
    if (value === undefined) {
      const c = parseColour(css)?.rgb() ?? { r: 0, g: 0, b: 0 };
      value = little ? ((255 << 24) | (c.b << 16) | (c.g << 8) | c.r) >>> 0 : ((c.r << 24) | (c.g << 16) | (c.b << 8) | 255) >>> 0;
      cache.set(css, value);
    }
    return value;
  };
  const side = Math.max(1, Math.round(size * ratio));
  const half = side / 2;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const k = order ? order[i] : i;
    const x0 = Math.round(xs[k] * ratio - half);
    const y0 = Math.round(ys[k] * ratio - half);
    if (!(x0 > -side && y0 > -side && x0 < w && y0 < h)) continue;
    const value = packed(colourOf(k));
    for (let y = Math.max(0, y0); y < Math.min(h, y0 + side); y++) {
      const row = y * w;
      for (let x = Math.max(0, x0); x < Math.min(w, x0 + side); x++) pixels[row + x] = value;
    }
  }
  context.putImageData(image, 0, 0);
}
