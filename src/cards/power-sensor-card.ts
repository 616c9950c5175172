import { PowerSensorClient, type RobotClient } from '@viamrobotics/sdk';
import { html, nothing } from 'lit';
import { methodSupport } from '../lib/method-support.ts';
import { formatNumber } from '../lib/readings.ts';
import { SenseCard } from './sense-card.ts';

interface PowerValues {
  readonly volts: number;
  readonly voltsAc: boolean;
  readonly amps: number;
  readonly ampsAc: boolean;
  /** Undefined when the sensor does not implement GetPower. */
  readonly watts: number | undefined;
}

/** A power sensor: voltage, current, power, AC or DC. */
export class PowerSensorCard extends SenseCard<PowerValues> {
  #sdk: { client: RobotClient; sensor: PowerSensorClient } | undefined;

  protected override async read(client: RobotClient): Promise<PowerValues> {
    if (this.#sdk?.client !== client) {
      this.#sdk = { client, sensor: new PowerSensorClient(client, this.resource?.name ?? '') };
    }
    const s = this.#sdk.sensor;
    const [[volts, voltsAc], [amps, ampsAc], watts] = await Promise.all([
      s.getVoltage(),
      s.getCurrent(),
      // Power is optional for many drivers; voltage × current still tells the operator a lot.
      methodSupport.read(client, this.resource?.key ?? '', 'GetPower', () => s.getPower()),
    ]);
    return { volts, voltsAc, amps, ampsAc, watts };
  }

  protected override plotValues(v: PowerValues): Record<string, number> {
    const out: Record<string, number> = { voltage: v.volts, current: v.amps };
    if (v.watts !== undefined) out['power'] = v.watts;
    return out;
  }

  protected override plotUnits() {
    return { voltage: 'V', current: 'A', power: 'W' };
  }

  protected override renderValues(v: PowerValues) {
    const kind = (ac: boolean) => (ac ? 'AC' : 'DC');
    return html`<dl class="values">
      <dt>Voltage</dt>
      <dd data-reading="voltage"><span data-value>${formatNumber(v.volts)}</span> V ${kind(v.voltsAc)}</dd>
      <dt>Current</dt>
      <dd data-reading="current"><span data-value>${formatNumber(v.amps)}</span> A ${kind(v.ampsAc)}</dd>
      ${
        v.watts !== undefined
          ? html`<dt>Power</dt>
              <dd data-reading="power"><span data-value>${formatNumber(v.watts)}</span> W</dd>`
          : nothing
      }
    </dl>`;
  }
}

customElements.define('power-sensor-card', PowerSensorCard);

declare global {
  interface HTMLElementTagNameMap {
    'power-sensor-card': PowerSensorCard;
  }
}
