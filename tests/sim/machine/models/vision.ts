/** A vision service that "detects" the test pattern's bouncing box on the camera it watches. */
import { ConnectError, Code } from '@connectrpc/connect';
import type { JsonObject } from '../config.ts';
import { movingBox } from '../png.ts';
import { SimResource } from '../resource.ts';
import { SimCamera } from './camera.ts';

export interface SimDetection {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  confidence: number;
  className: string;
  width: number;
  height: number;
}

export class SimVision extends SimResource {
  private calls = 0;

  camera(name: string): SimCamera {
    const want = name !== '' ? name : this.str('camera_name', '');
    const cam = this.env.find(want);
    if (!(cam instanceof SimCamera))
      throw new ConnectError(`resource "rdk:component:camera/${want}" not found`, Code.NotFound);
    return cam;
  }

  detect(cameraName: string): SimDetection[] {
    this.calls += 1;
    const cam = this.camera(cameraName);
    const b = movingBox(cam.width, cam.height, cam.elapsed());
    const confidence = 0.9 + this.env.random() * 0.09;
    return [
      {
        xMin: b.x,
        yMin: b.y,
        xMax: b.x + b.w,
        yMax: b.y + b.h,
        confidence,
        className: this.str('label', 'orange-box'),
        width: cam.width,
        height: cam.height,
      },
    ];
  }

  classify(cameraName: string, n: number): { className: string; confidence: number }[] {
    this.calls += 1;
    this.camera(cameraName);
    const all = [
      { className: 'test-pattern', confidence: 0.93 + this.env.random() * 0.05 },
      { className: 'color-bars', confidence: 0.6 + this.env.random() * 0.1 },
      { className: 'cat', confidence: 0.01 },
    ];
    return all.slice(0, Math.max(0, n === 0 ? 1 : n));
  }

  override snapshot(): JsonObject {
    return { camera_name: this.str('camera_name', ''), calls: this.calls };
  }
}
