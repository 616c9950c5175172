/** Sensors: an environment sensor, a GPS+IMU movement sensor, and a battery power sensor. */
import type { JsonObject } from '../config.ts';
import { SimResource } from '../resource.ts';
import { SimBase } from './base.ts';
import { fixedReadings } from './hostile.ts';
import { SimMotor } from './motor.ts';

/** Temperature and humidity drifting slowly, with a little noise on every reading. */
export class SimEnvSensor extends SimResource {
  private readonly t0 = this.env.now();

  readings(): JsonObject {
    // Robustness tests configure exactly what the sensor says (off unless `fixed_readings` is set).
    const fixed = fixedReadings(this.attributes);
    if (fixed) return fixed;
    const s = (this.env.now() - this.t0) / 1000;
    const noise = (amp: number): number => (this.env.random() - 0.5) * 2 * amp;
    const temperature = this.num('base_temperature_c', 21.5) + 1.5 * Math.sin(s / 300) + noise(0.05);
    const humidity = this.num('base_humidity_pct', 45) + 4 * Math.sin(s / 420 + 1) + noise(0.2);
    return {
      temperature_c: Math.round(temperature * 100) / 100,
      humidity_pct: Math.round(humidity * 100) / 100,
    };
  }

  override snapshot(): JsonObject {
    return this.readings();
  }
}

const METERS_PER_DEG_LAT = 111_320;

/**
 * GPS + IMU riding on the base named in `base`: its position is the base pose offset from
 * (`origin_lat`, `origin_lng`), heading and turn rate follow the base.
 */
export class SimMovementSensor extends SimResource {
  private base(): SimBase | undefined {
    const b = this.env.find(this.str('base', ''));
    return b instanceof SimBase ? b : undefined;
  }

  private motion(): { x: number; y: number; theta: number; v: number; w: number } {
    const base = this.base();
    if (!base) return { x: 0, y: 0, theta: 0, v: 0, w: 0 };
    const p = base.currentPose();
    const { v, w } = base.velocity();
    return { ...p, v, w };
  }

  position(): { latitude: number; longitude: number; altitudeM: number } {
    const m = this.motion();
    const lat0 = this.num('origin_lat', 40.7448);
    const lng0 = this.num('origin_lng', -73.9867);
    const latitude = lat0 + m.y / 1000 / METERS_PER_DEG_LAT;
    const longitude = lng0 + m.x / 1000 / (METERS_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180));
    return { latitude, longitude, altitudeM: this.num('altitude_m', 12) + (this.env.random() - 0.5) * 0.1 };
  }

  /** Degrees clockwise from north. */
  compassHeading(): number {
    return ((-this.motion().theta % 360) + 360) % 360;
  }

  /** m/s in the sensor frame (y forward). */
  linearVelocity(): { x: number; y: number; z: number } {
    return { x: 0, y: this.motion().v / 1000, z: 0 };
  }

  /** deg/s */
  angularVelocity(): { x: number; y: number; z: number } {
    return { x: 0, y: 0, z: this.motion().w };
  }

  /** m/s^2, gravity included, with a little vibration while moving. */
  linearAcceleration(): { x: number; y: number; z: number } {
    const shake = this.motion().v !== 0 ? 0.3 : 0.02;
    const n = (): number => (this.env.random() - 0.5) * shake;
    return { x: n(), y: n(), z: 9.81 + n() };
  }

  orientation(): { oX: number; oY: number; oZ: number; theta: number } {
    return { oX: 0, oY: 0, oZ: 1, theta: this.motion().theta };
  }

  readings(): JsonObject {
    const p = this.position();
    const lv = this.linearVelocity();
    const av = this.angularVelocity();
    const la = this.linearAcceleration();
    const o = this.orientation();
    return {
      position: { _type: 'geopoint', lat: p.latitude, lng: p.longitude },
      altitude: p.altitudeM,
      linear_velocity: { _type: 'vector3', ...lv },
      angular_velocity: { _type: 'angular_velocity', ...av },
      linear_acceleration: { _type: 'vector3', ...la },
      compass: this.compassHeading(),
      orientation: { _type: 'orientation_vector_degrees', ox: o.oX, oy: o.oY, oz: o.oZ, theta: o.theta },
    };
  }

  override snapshot(): JsonObject {
    const p = this.position();
    return {
      lat: p.latitude,
      lng: p.longitude,
      compass_deg: this.compassHeading(),
      speed_m_per_s: this.linearVelocity().y,
    };
  }
}

/**
 * A battery: charge drains with a base load plus whatever the motors draw, integrated each time
 * it is read; voltage follows charge along a Li-ion-ish curve.
 */
export class SimBattery extends SimResource {
  private charge = this.num('initial_charge_pct', 92) / 100;
  private last = this.env.now();
  private lastCurrent = 0;

  private capacityAh(): number {
    return this.num('capacity_ah', 5);
  }

  /** Amperes drawn right now. */
  private draw(): number {
    let amps = this.num('idle_current_a', 0.45);
    for (const r of this.env.all()) {
      if (r instanceof SimMotor) amps += Math.abs(r.powerPct()) * this.num('motor_stall_current_a', 2.2);
      else if (r.actuator && r.isMoving() && !(r instanceof SimBase)) amps += 0.6;
    }
    return amps;
  }

  private advance(): void {
    const now = this.env.now();
    const hours = (now - this.last) / 3_600_000;
    this.last = now;
    // Charge drains using the current in effect since the last reading.
    this.charge = Math.max(0.03, this.charge - (this.lastCurrent * hours) / this.capacityAh());
    this.lastCurrent = this.draw();
  }

  current(): number {
    this.advance();
    return this.lastCurrent + (this.env.random() - 0.5) * 0.02;
  }

  voltage(): number {
    this.advance();
    const c = this.charge;
    // 3S pack: 9.6 V empty, 12.6 V full, steeper at the ends.
    const v = 9.6 + 3.0 * (0.15 * Math.cbrt(2 * c - 1) + 0.5 + 0.35 * (c - 0.5));
    return v - this.lastCurrent * 0.05 + (this.env.random() - 0.5) * 0.01;
  }

  power(): number {
    return this.voltage() * this.current();
  }

  readings(): JsonObject {
    const volts = this.voltage();
    const amps = this.current();
    return {
      voltage: volts,
      current: amps,
      is_ac: false,
      power: volts * amps,
      charge_pct: this.charge * 100,
    };
  }

  override snapshot(): JsonObject {
    return this.readings();
  }
}
