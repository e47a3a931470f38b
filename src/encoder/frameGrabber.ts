import { FrameClock } from '../video/frameClock';

/**
 * Frames at exact indices for the encoder, from a frame clock of its own (its own worker and
 * decoder): grabbing never moves or stalls the picture the annotator is watching. Sequential
 * indices continue one forward decode instead of seeking each time.
 */
export class FrameGrabber {
  private constructor(private readonly clock: FrameClock) {}

  static async open(src: string | Blob): Promise<FrameGrabber> {
    return new FrameGrabber(await FrameClock.open(src, { cacheBytes: 24 << 20 }));
  }

  get rotation(): 0 | 90 | 180 | 270 {
    return this.clock.info.rotation;
  }

  /** A copy of frame `index`, owned by the caller (close or transfer it). */
  async grab(index: number): Promise<VideoFrame> {
    const shown = await this.clock.seek(index);
    const f = this.clock.frame;
    if (shown !== index || !f) throw new Error(`frame ${index} could not be decoded (got ${shown})`);
    return f.clone();
  }

  dispose(): void {
    this.clock.dispose();
  }
}
