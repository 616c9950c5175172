import { sensorApi, type RobotClient } from '@viamrobotics/sdk';
import { html } from 'lit';
import { fieldsToJs } from '../lib/proto-value.ts';
import { numericLeaves, readingTree } from '../lib/readings.ts';
import { SenseCard, renderReadingTree } from './sense-card.ts';

type Readings = Record<string, unknown>;

/** A sensor: its readings as a tree, plotted live. */
export class SensorCard extends SenseCard<Readings> {
  /**
   * Readings straight from the service, decoded here rather than by the SDK's SensorClient, whose
   * JSON conversion throws on NaN or Infinity and would lose every reading for one such value.
   */
  protected override async read(client: RobotClient): Promise<Readings> {
    const service = client.createServiceClient(sensorApi.SensorService);
    const response = await service.getReadings({ name: this.resource?.name ?? '' });
    return fieldsToJs(response.readings);
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
