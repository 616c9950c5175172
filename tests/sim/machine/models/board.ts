/**
 * A single-board computer: GPIO levels, PWM duty/frequency per pin, named analog readers (a slow
 * sine over 0..3.3 V unless written) and named digital interrupts counting ticks at `tick_hz`.
 */
import type { JsonObject } from '../config.ts';
import { inRange, invalidArgument } from '../errors.ts';
import { SimResource } from '../resource.ts';
import { ConnectError, Code } from '@connectrpc/connect';

interface PinState {
  high: boolean;
  duty: number;
  freq: number;
}

export class SimBoard extends SimResource {
  private readonly pins = new Map<string, PinState>();
  private readonly written = new Map<string, number>();
  private readonly t0 = this.env.now();

  private named(key: 'analogs' | 'digital_interrupts'): { name: string; pin: string }[] {
    const v = this.attributes[key];
    if (!Array.isArray(v)) return [];
    return v.flatMap((e) => {
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return [];
      const name = e['name'];
      const pin = e['pin'];
      return typeof name === 'string' ? [{ name, pin: typeof pin === 'string' ? pin : name }] : [];
    });
  }

  private pin(name: string): PinState {
    if (name === '') throw invalidArgument('pin name is required');
    let p = this.pins.get(name);
    if (!p) {
      p = { high: false, duty: 0, freq: this.num('default_pwm_freq_hz', 800) };
      this.pins.set(name, p);
    }
    return p;
  }

  getGpio(pin: string): boolean {
    return this.pin(pin).high;
  }

  setGpio(pin: string, high: boolean): void {
    const p = this.pin(pin);
    p.high = high;
    p.duty = high ? 1 : 0;
  }

  getPwm(pin: string): number {
    return this.pin(pin).duty;
  }

  setPwm(pin: string, duty: number): void {
    inRange(duty, 0, 1, 'duty_cycle_pct');
    const p = this.pin(pin);
    p.duty = duty;
    p.high = duty > 0;
  }

  getPwmFrequency(pin: string): number {
    return this.pin(pin).freq;
  }

  setPwmFrequency(pin: string, hz: number): void {
    if (hz > 1_000_000) throw invalidArgument(`frequency ${hz} Hz is above the 1 MHz this board supports`);
    this.pin(pin).freq = hz;
  }

  readAnalog(name: string): { value: number; minRange: number; maxRange: number; stepSize: number } {
    const reader = this.named('analogs').find((a) => a.name === name);
    if (!reader) throw new ConnectError(`can't find AnalogReader (${name})`, Code.NotFound);
    const max = 3.3;
    const steps = 1024;
    const written = this.written.get(reader.pin);
    const s = (this.env.now() - this.t0) / 1000;
    const raw =
      written ?? Math.round(((Math.sin(s / 5) + 1) / 2) * (steps - 1) + (this.env.random() - 0.5) * 4);
    return {
      value: Math.max(0, Math.min(steps - 1, raw)),
      minRange: 0,
      maxRange: max,
      stepSize: max / steps,
    };
  }

  writeAnalog(pin: string, value: number): void {
    if (pin === '') throw invalidArgument('pin name is required');
    this.written.set(pin, value);
  }

  tickHz(): number {
    return this.num('tick_hz', 5);
  }

  digitalInterrupt(name: string): bigint {
    const di = this.named('digital_interrupts').find((d) => d.name === name);
    if (!di) throw new ConnectError(`can't find DigitalInterrupt (${name})`, Code.NotFound);
    const hz = this.tickHz();
    return BigInt(Math.floor(((this.env.now() - this.t0) / 1000) * hz));
  }

  interruptPin(name: string): string | undefined {
    return this.named('digital_interrupts').find((d) => d.name === name)?.pin;
  }

  override snapshot(): JsonObject {
    const pins: JsonObject = {};
    for (const [name, p] of this.pins) pins[name] = { high: p.high, duty: p.duty, freq_hz: p.freq };
    const analogs: JsonObject = {};
    for (const a of this.named('analogs')) analogs[a.name] = this.readAnalog(a.name).value;
    return { pins, analogs };
  }
}
