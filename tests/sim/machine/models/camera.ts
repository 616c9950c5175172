/** A camera that renders the animated test pattern as PNG, one new frame per request. */
import type { JsonObject } from '../config.ts';
import { encodePng, renderTestPattern } from '../png.ts';
import { SimResource } from '../resource.ts';

export class SimCamera extends SimResource {
  private frames = 0;
  readonly started = this.env.now();

  get width(): number {
    return Math.max(16, Math.min(1920, Math.round(this.num('width_px', 320))));
  }

  get height(): number {
    return Math.max(16, Math.min(1080, Math.round(this.num('height_px', 240))));
  }

  get frameRate(): number {
    return this.num('frame_rate', 10);
  }

  /** Time since start, for animation. */
  elapsed(): number {
    return this.env.now() - this.started;
  }

  png(): { image: Uint8Array; frame: number; capturedAt: number } {
    this.frames += 1;
    const capturedAt = this.env.now();
    const rgb = renderTestPattern(this.width, this.height, capturedAt - this.started, this.frames);
    return { image: encodePng(this.width, this.height, rgb), frame: this.frames, capturedAt };
  }

  override snapshot(): JsonObject {
    return { width_px: this.width, height_px: this.height, frames_served: this.frames };
  }
}
