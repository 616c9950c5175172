import { EncoderClient, encoderApi, type RobotClient } from '@viamrobotics/sdk';
import { html, nothing } from 'lit';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import { formatNumber } from '../lib/readings.ts';
import { SenseCard } from './sense-card.ts';

interface EncoderValues {
  readonly ticks: number | undefined;
  readonly degrees: number | undefined;
}

/** An encoder: position in ticks and degrees (whichever it supports), and reset. */
export class EncoderCard extends SenseCard<EncoderValues> {
  #sdk: { client: RobotClient; encoder: EncoderClient } | undefined;

  protected override async read(client: RobotClient): Promise<EncoderValues> {
    if (this.#sdk?.client !== client) {
      this.#sdk = { client, encoder: new EncoderClient(client, this.resource?.name ?? '') };
    }
    const sdk = this.#sdk;
    const e = sdk.encoder;
    // Once per connection: an encoder without it is read in ticks, rather than asked every poll.
    const answer = await methodSupport.once(client, this.resource?.key ?? '', 'GetProperties', () =>
      e.getProperties(),
    );
    const props = answer === UNSUPPORTED ? undefined : answer;
    const ticksOk = props?.ticksCountSupported ?? true;
    const degreesOk = props?.angleDegreesSupported ?? false;
    const [ticks, degrees] = await Promise.all([
      ticksOk ? e.getPosition(encoderApi.PositionType.TICKS_COUNT).then(([v]) => v) : undefined,
      degreesOk ? e.getPosition(encoderApi.PositionType.ANGLE_DEGREES).then(([v]) => v) : undefined,
    ]);
    return { ticks, degrees };
  }

  protected override plotValues(v: EncoderValues): Record<string, number> {
    const out: Record<string, number> = {};
    if (v.ticks !== undefined) out['ticks'] = v.ticks;
    if (v.degrees !== undefined) out['angle'] = v.degrees;
    return out;
  }

  protected override plotUnits() {
    return { ticks: 'ticks', angle: '°' };
  }

  protected override renderValues(v: EncoderValues) {
    return html`<dl class="values">
      ${
        v.ticks !== undefined
          ? html`<dt>Position</dt>
              <dd data-reading="ticks"><span data-value>${formatNumber(v.ticks)}</span> ticks</dd>`
          : nothing
      }
      ${
        v.degrees !== undefined
          ? html`<dt>Angle</dt>
              <dd data-reading="angle"><span data-value>${formatNumber(v.degrees)}</span> °</dd>`
          : nothing
      }
    </dl>`;
  }

  protected override renderCommands() {
    return html`<div class="commands">
      <button
        data-action="reset-position"
        ?disabled=${!this.connected || this._result?.status === 'pending'}
        @click=${() =>
          void this.act('ResetPosition', undefined, (client) => this.#encoder(client).resetPosition()).then(
            () => this.poll.refresh(),
          )}
      >
        Reset position
      </button>
    </div>`;
  }

  #encoder(client: RobotClient): EncoderClient {
    return this.#sdk?.client === client
      ? this.#sdk.encoder
      : new EncoderClient(client, this.resource?.name ?? '');
  }
}

customElements.define('encoder-card', EncoderCard);

declare global {
  interface HTMLElementTagNameMap {
    'encoder-card': EncoderCard;
  }
}
