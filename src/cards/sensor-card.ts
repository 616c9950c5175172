import { SensorClient, type RobotClient } from '@viamrobotics/sdk';
import { html } from 'lit';
import { numericLeaves, readingTree } from '../lib/readings.ts';
import { SenseCard, renderReadingTree } from './sense-card.ts';

type Readings = Record<string, unknown>;

/** A sensor: its readings as a tree, plotted live. */
export class SensorCard extends SenseCard<Readings> {
  #sdk: { client: RobotClient; sensor: SensorClient } | undefined;

  protected override read(client: RobotClient): Promise<Readings> {
    if (this.#sdk?.client !== client) {
      this.#sdk = { client, sensor: new SensorClient(client, this.resource?.name ?? '') };
    }
    return this.#sdk.sensor.getReadings();
  }

  protected override plotValues(value: Readings): Record<string, number> {
    return numericLeaves(value);
  }

  protected override renderValues(value: Readings) {
    const tree = readingTree(value);
    return tree.length === 0
      ? html`<p class="muted">The sensor returned no readings.</p>`
      : renderReadingTree(tree);
  }
}

customElements.define('sensor-card', SensorCard);

declare global {
  interface HTMLElementTagNameMap {
    'sensor-card': SensorCard;
  }
}
