/** A distinct, stable colour per track (golden-angle hues, so neighbours in a list differ). */
const cache = new Map<string, string>();

export function trackColor(trackId: string): string {
  let c = cache.get(trackId);
  if (!c) {
    let h = 0;
    for (let i = 0; i < trackId.length; i++) h = (h * 31 + trackId.charCodeAt(i)) >>> 0;
    const hue = (h * 137.508) % 360;
    c = `hsl(${hue.toFixed(0)} 85% 55%)`;
    cache.set(trackId, c);
  }
  return c;
}
