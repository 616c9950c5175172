import { MovementSensorClient, type RobotClient } from '@viamrobotics/sdk';
import { html, nothing } from 'lit';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import { formatLatLng, formatNumber } from '../lib/readings.ts';
import { SenseCard } from './sense-card.ts';

interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

interface Supported {
  readonly position: boolean;
  readonly linearVelocity: boolean;
  readonly angularVelocity: boolean;
  readonly linearAcceleration: boolean;
  readonly compassHeading: boolean;
  readonly orientation: boolean;
}

interface MovementValues {
  readonly position?: { lat: number; lng: number; altitudeM: number } | undefined;
  readonly linearVelocity?: Vec3 | undefined;
  readonly angularVelocity?: Vec3 | undefined;
  readonly linearAcceleration?: Vec3 | undefined;
  readonly compass?: number | undefined;
  readonly orientation?: { ox: number; oy: number; oz: number; theta: number } | undefined;
  readonly accuracy?:
    | {
        readonly byName: Readonly<Record<string, number>>;
        readonly hdop?: number | undefined;
        readonly vdop?: number | undefined;
        readonly fix?: number | undefined;
        readonly compassError?: number | undefined;
      }
    | undefined;
}

const vec = (v: { x: number; y: number; z: number }): Vec3 => ({ x: v.x, y: v.y, z: v.z });
const fmtVec = (v: Vec3) => `x ${formatNumber(v.x)}, y ${formatNumber(v.y)}, z ${formatNumber(v.z)}`;

/** NMEA GGA fix quality, as RDK reports it. */
const FIX: Readonly<Record<number, string>> = {
  0: 'no fix',
  1: 'GPS',
  2: 'DGPS',
  3: 'PPS',
  4: 'RTK fixed',
  5: 'RTK float',
  6: 'dead reckoning',
};

/**
 * A movement sensor: the fields its GetProperties says it supports (position, velocities,
 * acceleration, compass, orientation) and its accuracy, read in one batch per poll.
 */
export class MovementSensorCard extends SenseCard<MovementValues> {
  #sdk: { client: RobotClient; sensor: MovementSensorClient } | undefined;

  protected override async read(client: RobotClient): Promise<MovementValues> {
    if (this.#sdk?.client !== client) {
      this.#sdk = { client, sensor: new MovementSensorClient(client, this.resource?.name ?? '') };
    }
    const s = this.#sdk.sensor;
    const key = this.resource?.key ?? '';
    // Once per connection. Without an answer every field is tried, and those the model lacks drop out
    // one by one (each asked once).
    const props = await methodSupport.once(client, key, 'GetProperties', () => s.getProperties());
    const has: Supported =
      props === UNSUPPORTED || props === undefined
        ? {
            position: true,
            linearVelocity: true,
            angularVelocity: true,
            linearAcceleration: true,
            compassHeading: true,
            orientation: true,
          }
        : {
            position: props.positionSupported,
            linearVelocity: props.linearVelocitySupported,
            angularVelocity: props.angularVelocitySupported,
            linearAcceleration: props.linearAccelerationSupported,
            compassHeading: props.compassHeadingSupported,
            orientation: props.orientationSupported,
          };
    const when = async <R>(ok: boolean, method: string, read: () => Promise<R>): Promise<R | undefined> => {
      if (!ok) return undefined;
      const value = await methodSupport.call(client, key, method, read);
      return value === UNSUPPORTED ? undefined : value;
    };
    const [position, linearVelocity, angularVelocity, linearAcceleration, compass, orientation, accuracy] =
      await Promise.all([
        when(has.position, 'GetPosition', () => s.getPosition()),
        when(has.linearVelocity, 'GetLinearVelocity', () => s.getLinearVelocity()),
        when(has.angularVelocity, 'GetAngularVelocity', () => s.getAngularVelocity()),
        when(has.linearAcceleration, 'GetLinearAcceleration', () => s.getLinearAcceleration()),
        when(has.compassHeading, 'GetCompassHeading', () => s.getCompassHeading()),
        when(has.orientation, 'GetOrientation', () => s.getOrientation()),
        // Many drivers do not implement accuracy; its absence is not an error of the card.
        methodSupport.read(client, key, 'GetAccuracy', () => s.getAccuracy()),
      ]);
    const reads = ['GetPosition', 'GetLinearVelocity', 'GetAngularVelocity', 'GetLinearAcceleration'];
    const lacking = [...reads, 'GetCompassHeading', 'GetOrientation'].every((m) =>
      methodSupport.unsupported(client, key, m),
    );
    // Nothing left to read: the poll ends for this connection like any poll the model cannot serve.
    if (lacking) throw new Error('this model implements none of the movement sensor reads (unimplemented)');
    return {
      position: position?.coordinate
        ? {
            lat: position.coordinate.latitude,
            lng: position.coordinate.longitude,
            altitudeM: position.altitudeM,
          }
        : undefined,
      linearVelocity: linearVelocity && vec(linearVelocity),
      angularVelocity: angularVelocity && vec(angularVelocity),
      linearAcceleration: linearAcceleration && vec(linearAcceleration),
      compass,
      orientation: orientation && {
        ox: orientation.oX,
        oy: orientation.oY,
        oz: orientation.oZ,
        theta: orientation.theta,
      },
      accuracy: accuracy && {
        byName: { ...accuracy.accuracy },
        hdop: accuracy.positionHdop,
        vdop: accuracy.positionVdop,
        fix: accuracy.positionNmeaGgaFix,
        compassError: accuracy.compassDegreesError,
      },
    };
  }

  protected override plotValues(v: MovementValues): Record<string, number> {
    const out: Record<string, number> = {};
    const put3 = (name: string, x: Vec3 | undefined) => {
      if (!x) return;
      out[`${name}.x`] = x.x;
      out[`${name}.y`] = x.y;
      out[`${name}.z`] = x.z;
    };
    if (v.position) {
      out['position.lat'] = v.position.lat;
      out['position.lng'] = v.position.lng;
      out['altitude'] = v.position.altitudeM;
    }
    put3('linear_velocity', v.linearVelocity);
    put3('angular_velocity', v.angularVelocity);
    put3('linear_acceleration', v.linearAcceleration);
    if (v.compass !== undefined) out['compass'] = v.compass;
    if (v.orientation) out['orientation.theta'] = v.orientation.theta;
    return out;
  }

  protected override plotUnits() {
    return { 'orientation.theta': '°' };
  }

  protected override renderValues(v: MovementValues) {
    const a = v.accuracy;
    return html`<dl class="values">
      ${
        v.position
          ? html`<dt>Position</dt>
              <dd data-reading="position" data-geo=${`${v.position.lat},${v.position.lng}`}>
                ${formatLatLng(v.position.lat, v.position.lng)}
              </dd>
              <dt>Altitude</dt>
              <dd data-reading="altitude">
                <span data-value>${formatNumber(v.position.altitudeM)}</span> m
              </dd>`
          : nothing
      }
      ${
        v.linearVelocity
          ? html`<dt>Linear velocity</dt>
              <dd data-reading="linear_velocity">${fmtVec(v.linearVelocity)} m/s</dd>`
          : nothing
      }
      ${
        v.angularVelocity
          ? html`<dt>Angular velocity</dt>
              <dd data-reading="angular_velocity">${fmtVec(v.angularVelocity)} °/s</dd>`
          : nothing
      }
      ${
        v.linearAcceleration
          ? html`<dt>Acceleration</dt>
              <dd data-reading="linear_acceleration">${fmtVec(v.linearAcceleration)} m/s²</dd>`
          : nothing
      }
      ${
        v.compass !== undefined
          ? html`<dt>Compass heading</dt>
              <dd data-reading="compass"><span data-value>${formatNumber(v.compass)}</span>°</dd>`
          : nothing
      }
      ${
        v.orientation
          ? html`<dt>Orientation</dt>
              <dd data-reading="orientation">
                o (${formatNumber(v.orientation.ox)}, ${formatNumber(v.orientation.oy)},
                ${formatNumber(v.orientation.oz)}), θ ${formatNumber(v.orientation.theta)}°
              </dd>`
          : nothing
      }
      ${
        a
          ? html`<dt>Accuracy</dt>
              <dd data-reading="accuracy">
                ${
                  [
                    a.hdop !== undefined ? `HDOP ${formatNumber(a.hdop)}` : '',
                    a.vdop !== undefined ? `VDOP ${formatNumber(a.vdop)}` : '',
                    a.fix !== undefined ? `fix ${FIX[a.fix] ?? String(a.fix)}` : '',
                    a.compassError !== undefined ? `compass ±${formatNumber(a.compassError)}°` : '',
                    ...Object.entries(a.byName).map(([k, n]) => `${k} ${formatNumber(n)}`),
                  ]
                    .filter((s) => s !== '')
                    .join(' · ') || '—'
                }
              </dd>`
          : nothing
      }
    </dl>`;
  }
}

customElements.define('movement-sensor-card', MovementSensorCard);

declare global {
  interface HTMLElementTagNameMap {
    'movement-sensor-card': MovementSensorCard;
  }
}
