import '../../styles/page.css';
import { createViamClient } from 'virtual:viam-cloud-sdk';
import { LitElement, html } from 'lit';
import { cloudAddress } from '../../config.ts';
class FleetApp extends LitElement {
  override render() {
    return html`<p>fleet</p>`;
  }
}
customElements.define('fleet-app', FleetApp);
void createViamClient({ serviceHost: cloudAddress, credentials: { type: 'access-token', payload: 'x' } });
void import('../../console/machine-console.ts');
