import { ContextConsumer } from '@lit/context';
import { Task } from '@lit/task';
import type { RobotClient } from '@viamrobotics/sdk';
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { CloudLogSource } from '../cloud/cloud-log-source.ts';
import { cloudContext, logSummaryContext, machineKeyContext, robotClientContext } from '../contexts.ts';
import { takeResourceNames, takeStatus } from '../controllers/first-status.ts';
import { PollController, ResourceGoneEvent } from '../controllers/poll-controller.ts';
import {
  cameraDecided,
  cardsTurn,
  firstTurn,
  prestartStream,
  statusAnswered,
  streamWanted,
  videoStarted,
} from '../controllers/video-first.ts';
import { cardFor } from '../cards/registry.ts';
import { localStore } from '../lib/card-prefs.ts';
import { afterPaint } from '../lib/next-task.ts';
import { CAMERA_API, firstScreenCamera, nameOfKey } from '../lib/video-first.ts';
import { fetchProtoServices, protoServiceFor } from '../lib/do-command.ts';
import { methodSupport, UNSUPPORTED } from '../lib/method-support.ts';
import {
  EMPTY_LAYOUT,
  loadLayout,
  moveKey,
  orderKeys,
  saveLayout,
  toggle,
  type LayoutPrefs,
} from '../lib/layout.ts';
import {
  isUserFacing,
  sortResources,
  toResource,
  toStatusView,
  type MachineStatusView,
  type Resource,
  type ResourceNameLike,
} from '../lib/resources.ts';
import { base } from '../styles/tokens.ts';
import './app-header.ts';
import './command-log-panel.ts';
import './connection-banner.ts';
import './machine-status.ts';
import type { VersionInfo } from './machine-status.ts';
import './resource-card.ts';
import type { CardLayoutEvent } from './resource-card.ts';
import type { LogsSummaryEvent } from './logs-panel.ts';
import type { DriveLayoutEvent } from './drive-view.ts';
import {
  loadDriveLayout,
  rememberedCamera,
  resolveDrive,
  saveDriveLayout,
  type DriveLayout,
} from '../lib/drive-prefs.ts';

/** Machine status is polled at this rate while the page is visible. */
export const STATUS_INTERVAL_MS = 1000;
/**
 * Without GetMachineStatus (an older viam-server) there is no config revision to watch: the resource
 * list is looked at this often instead, while the page is visible.
 */
export const NAMES_INTERVAL_MS = 10_000;
/** The card grid's heading, above the first row of cards. */
const HEADING_PX = 48;
/** A machine of this many resources or fewer makes every card at once, not as they come near the viewport. */
export const EAGER_CARDS_MAX = 40;
/** Card frames added to the page per task (20 frames render in well under 50 ms), so a machine of hundreds never renders them in one long task. */
const FRAMES_PER_TASK = 20;

/** The cards wait at most this long for the first status's frame (see the resource list's task). */
const STATUS_PAINT_MAX_MS = 100;

/** A NotFound refetches the list at once, but not more often than this (many cards may say it). */
const GONE_REFETCH_MIN_MS = 2000;

interface ResourceList {
  readonly resources: readonly Resource[];
}

/**
 * The connected machine: status panel, one card per resource, command log. Owns the machine-wide
 * polls (status) and the resource list, which it refetches whenever the config revision changes, or,
 * on a machine without GetMachineStatus, every NAMES_INTERVAL_MS; and at once when a card finds its
 * resource gone.
 */
export class MachineDashboard extends LitElement {
  static override properties = { _layout: { state: true }, _drive: { state: true } };
  declare _layout: LayoutPrefs;
  /** The drive view: on or off and what it shows, per machine. */
  declare _drive: DriveLayout;
  #driveViewRequested = false;
  #operationsRequested = false;
  /** The connection whose start-up (its first video, see videoStarted) is being waited for. */
  #startedFor: RobotClient | undefined;
  /** That start-up is over: the cloud and the operations panel may load. */
  #started = false;

  readonly #client = new ContextConsumer(this, { context: robotClientContext, subscribe: true });
  readonly #machineKey = new ContextConsumer(this, {
    context: machineKeyContext,
    callback: (key) => {
      this._layout = loadLayout(window.localStorage, key);
      this._drive = loadDriveLayout(window.localStorage, key);
      // The drive view is what this page will show: its code loads while the machine answers.
      if (this._drive.on) this.#requestDriveView();
    },
  });

  readonly #cloud = new ContextConsumer(this, { context: cloudContext });
  #logSource: CloudLogSource | undefined;
  #unsubscribeSummary: (() => void) | undefined;
  /** The logs panel's code is fetched the first time it opens, after the machine's first status. */
  #logsPanelRequested = false;
  readonly #summary = new ContextConsumer(this, {
    context: logSummaryContext,
    callback: (summary) => {
      this.#unsubscribeSummary?.();
      // Only opening and closing matter here: counts change with every batch of lines, and
      // re-rendering every card for them would cost the page its frames.
      let open = summary?.state.open;
      this.#unsubscribeSummary = summary?.subscribe((state) => {
        if (state.open === open) return;
        open = state.open;
        this.requestUpdate();
      });
    },
  });

  readonly #status = new PollController(this, {
    key: () => 'machine:status',
    intervalMs: () => STATUS_INTERVAL_MS,
    offScreen: true,
    // The first answer was asked for the moment the client connected (see first-status.ts).
    task: async (client) => {
      try {
        return toStatusView(await takeStatus(client));
      } finally {
        statusAnswered(client);
      }
    },
  });
  /** Resource -> its DoCommand proto service, from reflection (empty until it answers). */
  #services: ReadonlyMap<string, string> = new Map();
  /** The connection the on-screen camera's stream was asked for on (once per connection). */
  #videoFirstFor: RobotClient | undefined;

  /** The config revision the resource list was fetched for; bumps `#listEpoch` when it changes. */
  #listRevision: string | undefined;
  #listEpoch = 0;
  /** When the resource list last arrived (epoch ms). */
  #listFetchedAt = 0;
  /** The connection the resource list was last fetched on. */
  #listedFor: RobotClient | undefined;
  #statusUnsupported = false;
  #goneAt = 0;
  /** How many card frames are on the page so far (grows by FRAMES_PER_TASK a task to all of them). */
  #framesShown = FRAMES_PER_TASK;
  #moreFrames: ReturnType<typeof setTimeout> | undefined;

  /** Only on a machine without GetMachineStatus: watches ResourceNames for added or removed resources. */
  readonly #names = new PollController(this, {
    key: () => 'machine:resource-names',
    intervalMs: () => (this.#status.unsupported === undefined ? null : NAMES_INTERVAL_MS),
    offScreen: true,
    task: async (client) => {
      // The list itself was just fetched (on connecting, or after a NotFound): nothing to compare yet.
      if (Date.now() - this.#listFetchedAt < NAMES_INTERVAL_MS / 2) return this.#listFetchedAt;
      const names = await client.resourceNames();
      const now = keysOf(names.filter(isUserFacing).map(toResource));
      const shown = keysOf(this.#resources.value?.resources ?? []);
      if (now !== shown) this.#refetchList();
      return Date.now();
    },
  });

  readonly #resources = new Task(this, {
    task: async ([client]: readonly [RobotClient | undefined, number]): Promise<ResourceList> => {
      // Between connections the cards stay (disabled, values stale) rather than vanish.
      if (!client) return this.#resources.value ?? { resources: [] };
      // The drive view's remembered camera needs no resource list to be asked for.
      const remembered = rememberedCamera(this._drive);
      if (remembered !== undefined) this.#videoFirst(client, remembered);
      // Which DoCommand service each resource has (reflection, several queries) is a first call like
      // the cards': it waits its turn behind the camera's stream and the status, and the cards are
      // drawn without it (their DoCommand section follows when it answers).
      firstTurn(client)
        .then(() => fetchProtoServices(client))
        .then(
          (services) => {
            if (this.#client.value !== client) return;
            this.#services = services;
            this.requestUpdate();
          },
          () => undefined,
        );
      let resources: Resource[];
      try {
        resources = userFacing(await takeResourceNames(client));
      } catch (error: unknown) {
        cameraDecided(client);
        throw error;
      }
      // The drive view remembers the camera it shows, so that the next load asks for it at once.
      if (this._drive.on) this.#setDrive(this._drive, resources);
      this.#videoFirst(client, this.#onScreenCamera(resources));
      this.#listFetchedAt = Date.now();
      const first = this.#listedFor !== client;
      this.#listedFor = client;
      // On connecting, the machine's status (asked first) is painted before the cards are made:
      // their first render is the start-up's longest task, and run between the status's DOM change
      // and its frame it kept the status off the screen 30-100 ms (bench: long animation frames).
      if (first && this.#status.value !== undefined) await afterPaint(STATUS_PAINT_MAX_MS);
      return { resources };
    },
    args: () => [this.#client.value, this.#listEpoch] as const,
  });

  readonly #version = new Task(this, {
    task: async ([client]: readonly [RobotClient | undefined]): Promise<VersionInfo | null | undefined> => {
      if (!client) return this.#version.value;
      await firstTurn(client);
      const v = await methodSupport.call(client, 'machine', 'GetVersion', () => client.getVersion());
      if (v === UNSUPPORTED) return null;
      return { platform: v.platform, version: v.version, apiVersion: v.apiVersion };
    },
    args: () => [this.#client.value] as const,
  });

  constructor() {
    super();
    this._layout = EMPTY_LAYOUT;
    this._drive = { on: false, cameras: [], base: undefined };
    this.addEventListener(ResourceGoneEvent.type, this.#onGone);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#moreFrames);
    this.#moreFrames = undefined;
    this.#unsubscribeSummary?.();
    this.#unsubscribeSummary = undefined;
  }

  /**
   * Asks for the camera's stream ahead of the cards' first calls, once per connection, and only
   * before any card of that connection exists (a card that started its own stream is never doubled).
   */
  #videoFirst(client: RobotClient, cameraKey: string | undefined): void {
    if (this.#videoFirstFor === client) return;
    this.#videoFirstFor = client;
    try {
      this.#prestart(client, cameraKey);
    } finally {
      cameraDecided(client);
    }
  }

  #prestart(client: RobotClient, cameraKey: string | undefined): void {
    // Not for a hidden tab, nor a camera the operator set to images.
    if (cameraKey === undefined || !streamWanted(localStore(), this.#machineKey.value ?? '', cameraKey))
      return;
    prestartStream(client, nameOfKey(cameraKey));
    // Its card's code, fetched while the stream is negotiated. (Fetched on every load it would draw
    // a camera card before the cards above it and flash it into a short window.)
    cardFor({ api: CAMERA_API })
      .load()
      .catch(() => undefined);
  }

  /** The key of the camera the first screen will show, from the remembered layout and the window. */
  #onScreenCamera(resources: readonly Resource[]): string | undefined {
    const cameraKeys = resources.filter((r) => r.api === CAMERA_API).map((r) => r.key);
    if (cameraKeys.length === 0) return undefined;
    const driven = this._drive.on ? this.#driveCamera(this._drive, resources) : undefined;
    if (driven !== undefined) return driven;
    const main = this.renderRoot.querySelector('main');
    if (!main) return undefined;
    const apis = new Map(resources.map((r) => [r.key, r.api]));
    const hidden = new Set(this._layout.hidden);
    const collapsed = new Set(this._layout.collapsed);
    const order = orderKeys(
      resources.filter((r) => !hidden.has(r.key)).map((r) => r.key),
      this._layout,
    );
    const box = main.getBoundingClientRect();
    return firstScreenCamera(
      order.map((key) => ({ key, api: apis.get(key) ?? '', collapsed: collapsed.has(key) })),
      { gridWidth: box.width, gridTop: box.top + HEADING_PX, viewportHeight: window.innerHeight },
    );
  }

  /** When the machine last told us its resources (the list itself, or the 10 s look at it). */
  #namesCheckedAt(): number | undefined {
    const at = Math.max(this.#listFetchedAt, this.#names.updatedAt ?? 0);
    return at === 0 ? undefined : at;
  }

  #refetchList(): void {
    this.#listEpoch += 1;
    this.requestUpdate();
  }

  /** A card's resource answered NotFound: look at the list now (it was probably just removed). */
  readonly #onGone = (event: ResourceGoneEvent): void => {
    const key = event.key;
    if (!(this.#resources.value?.resources ?? []).some((r) => r.key === key)) return;
    if (Date.now() - this.#goneAt < GONE_REFETCH_MIN_MS) return;
    this.#goneAt = Date.now();
    this.#refetchList();
  };

  override willUpdate(): void {
    // The cloud waits for the machine's first answer about its status, so it never delays it, and
    // for the start-up of the video asked for at connecting (the cloud's code is the largest chunk:
    // evaluated during the stream's renegotiation, it held back the first frame).
    const status = this.#status;
    const client = this.#client.value;
    if (client && this.#startedFor !== client) {
      this.#startedFor = client;
      this.#started = false;
      videoStarted(client).then(
        () => {
          if (this.#startedFor !== client) return;
          this.#started = true;
          this.requestUpdate();
        },
        () => undefined,
      );
    }
    const answered =
      status.value !== undefined || status.error !== undefined || status.unsupported !== undefined;
    if (answered && (this.#started || !client)) {
      this.#cloud.value?.machineAnswered();
      // The operations panel's code likewise comes after the first status and the video's start-up.
      if (!this.#operationsRequested) {
        this.#operationsRequested = true;
        import('./operations-panel.ts').catch(() => (this.#operationsRequested = false));
      }
    }
    const unsupported = this.#status.unsupported !== undefined;
    if (unsupported !== this.#statusUnsupported) {
      this.#statusUnsupported = unsupported;
      this.#names.intervalChanged();
    }
    const revision = this.#status.value?.configRevision;
    if (revision === undefined) return;
    if (this.#listRevision !== undefined && revision !== this.#listRevision) this.#listEpoch += 1;
    this.#listRevision = revision;
  }

  static override styles = [
    base,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr);
        gap: var(--mc-space-4);
        padding: var(--mc-space-4);
        align-items: start;
      }
      aside {
        display: grid;
        gap: var(--mc-space-4);
        position: sticky;
        /* Painted after the cards: a sticky scroller painted before them made every card that scrolls
           past it a composited layer of its own ("overlap": 207 layers on the 100-sensor machine, 34
           for the rover's 20 cards), each one main-thread work in every frame. */
        z-index: 1;
        top: 5rem;
        max-height: calc(100vh - 6rem);
        overflow: auto;
      }
      main {
        min-width: 0;
      }
      /* The drive view takes the whole width; status and command log follow it. */
      :host([drive]) {
        grid-template-columns: minmax(0, 1fr);
      }
      :host([drive]) aside {
        position: static;
        max-height: none;
        order: 2;
      }
      .cards {
        display: grid;
        gap: var(--mc-space-4);
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
        align-items: start;
      }
      h2 {
        font-size: 1rem;
        margin: 0;
      }
      .heading {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--mc-space-3);
        margin: 0 0 var(--mc-space-3);
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      details {
        margin-top: var(--mc-space-4);
      }
      .hidden-list {
        display: flex;
        flex-wrap: wrap;
        gap: var(--mc-space-2);
        margin-top: var(--mc-space-2);
      }
      .error {
        color: var(--mc-danger);
      }
      /* Docked to the bottom of the window while open, across both columns. */
      .logs {
        grid-column: 1 / -1;
        position: sticky;
        bottom: var(--mc-space-2);
        z-index: 5;
      }
      @media (max-width: 760px) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          padding: var(--mc-space-2);
        }
        aside {
          position: static;
          max-height: none;
          /* On a phone the controls come first; status and log follow them. */
          order: 2;
        }
        .logs {
          order: 3;
          height: 60vh;
        }
      }
    `,
  ];

  override render() {
    const unsupported = this.#status.unsupported !== undefined;
    const statusView = unsupported ? namesOnlyView(this.#resources.value?.resources) : this.#status.value;
    return html`
      <aside aria-label="Machine">
        <machine-status
          .status=${statusView}
          .version=${this.#version.value}
          .updatedAt=${unsupported ? this.#namesCheckedAt() : this.#status.updatedAt}
          .error=${this.#status.error}
          ?stale=${unsupported ? !this.#status.connected : this.#status.stale}
          ?reportsStatus=${!unsupported}
        ></machine-status>
        <command-log-panel></command-log-panel>
        <operations-panel></operations-panel>
      </aside>
      <main aria-label="Components">
        ${this.#resources.render({
          initial: () => html`<p role="status">Loading resources…</p>`,
          pending: () =>
            this.#resources.value
              ? this.#renderCards(this.#resources.value)
              : html`<p role="status">Loading resources…</p>`,
          complete: (list) => this.#renderCards(list),
          error: () =>
            html`<p class="error" role="alert">
              The machine’s resources could not be listed.
              <button @click=${() => void this.#resources.run()}>Try again</button>
            </p>`,
        })}
      </main>
      ${this.#renderLogs()}
    `;
  }

  #renderLogs() {
    const summary = this.#summary.value;
    if (!summary?.state.open) return nothing;
    const cloud = this.#cloud.value;
    if (cloud && this.#logSource === undefined) this.#logSource = new CloudLogSource(cloud);
    if (!this.#logsPanelRequested) {
      this.#logsPanelRequested = true;
      (cloud?.ready() ?? Promise.resolve())
        .then(() => import('./logs-panel.ts'))
        .catch(() => (this.#logsPanelRequested = false));
    }
    return html`<logs-panel
      class="logs"
      .source=${this.#logSource}
      @logs-summary=${(e: LogsSummaryEvent) => summary.report(e.errors, e.warnings, e.phase)}
      @logs-close=${() => summary.setOpen(false)}
    ></logs-panel>`;
  }

  #renderCards(list: ResourceList) {
    const byKey = new Map(list.resources.map((r) => [r.key, r]));
    const hidden = new Set(this._layout.hidden);
    const collapsed = new Set(this._layout.collapsed);
    const visible = orderKeys(
      list.resources.filter((r) => !hidden.has(r.key)).map((r) => r.key),
      this._layout,
    );
    const hiddenHere = list.resources.filter((r) => hidden.has(r.key));
    // Without GetMachineStatus no card gets a health badge (there is none to give).
    const statuses = this.#status.unsupported === undefined ? this.#status.value?.resources : undefined;
    const hasBase = list.resources.some((r) => r.api === 'rdk:component:base');
    this.toggleAttribute('drive', hasBase && this._drive.on);
    if (hasBase && this._drive.on) return this.#renderDriveView(list);
    const eager = list.resources.length <= EAGER_CARDS_MAX;
    // The other cards are made once the camera asked for at connecting is shown (see cardsTurn).
    const client = this.#client.value;
    const hold = client ? cardsTurn(client) : undefined;
    const shown = visible.slice(0, this.#framesShown);
    if (shown.length < visible.length) this.#showMoreFrames();
    return html`
      <div class="heading">
        <h2 id="cards-title">Components and services (${list.resources.length})</h2>
        ${
          hasBase
            ? html`<button
                data-action="drive-view"
                @click=${() => this.#setDrive({ ...this._drive, on: true })}
              >
                Drive view
              </button>`
            : nothing
        }
      </div>
      <div class="cards" role="list" aria-labelledby="cards-title" @card-layout=${this.#onLayout}>
        ${repeat(
          shown,
          (key) => key,
          (key, i) => {
            const r = byKey.get(key);
            if (!r) return nothing;
            return html`<resource-card
              role="listitem"
              data-card=${r.name}
              data-api=${r.api}
              .resource=${r}
              .protoService=${protoServiceFor(r, this.#services)}
              .status=${statuses?.get(r.key)}
              .hold=${r.api === CAMERA_API ? undefined : hold}
              ?collapsed=${collapsed.has(key)}
              ?eager=${eager}
              ?first=${i === 0}
              ?last=${i === visible.length - 1}
            ></resource-card>`;
          },
        )}
      </div>
      ${
        hiddenHere.length > 0
          ? html`<details data-hidden-cards>
              <summary>Hidden cards (${hiddenHere.length})</summary>
              <div class="hidden-list">
                ${hiddenHere.map(
                  (r) =>
                    html`<button
                      data-show-card=${r.name}
                      @click=${() => this.#setLayout({ ...this._layout, hidden: toggle(this._layout.hidden, r.key, false) })}
                    >
                      Show ${r.name}
                    </button>`,
                )}
              </div>
            </details>`
          : nothing
      }
    `;
  }

  /** The next FRAMES_PER_TASK card frames, in a task of their own. */
  #showMoreFrames(): void {
    this.#moreFrames ??= setTimeout(() => {
      this.#moreFrames = undefined;
      this.#framesShown += FRAMES_PER_TASK;
      this.requestUpdate();
    }, 0);
  }

  #requestDriveView(): void {
    if (this.#driveViewRequested) return;
    this.#driveViewRequested = true;
    import('./drive-view.ts').catch(() => {
      this.#driveViewRequested = false;
    });
  }

  #renderDriveView(list: ResourceList) {
    this.#requestDriveView();
    const client = this.#client.value;
    return html`<h2 id="cards-title" class="visually-hidden">Drive view</h2>
      <drive-view
        aria-labelledby="cards-title"
        .resources=${list.resources}
        .layout=${this._drive}
        .hold=${client ? cardsTurn(client) : undefined}
        @drive-layout=${(e: DriveLayoutEvent) => this.#setDrive(e.layout)}
      ></drive-view>`;
  }

  #setDrive(layout: DriveLayout, resources = this.#resources.value?.resources ?? []): void {
    const shown = layout.on ? this.#driveCamera(layout, resources) : undefined;
    const next =
      shown === undefined || shown === layout.lastCamera ? layout : { ...layout, lastCamera: shown };
    if (next === this._drive) return;
    this._drive = next;
    const key = this.#machineKey.value;
    if (key !== undefined) saveDriveLayout(window.localStorage, key, next);
  }

  /** The camera the drive view shows first for `layout`, on a machine of `resources` with a base. */
  #driveCamera(layout: DriveLayout, resources: readonly Resource[]): string | undefined {
    const bases = resources.filter((r) => r.api === 'rdk:component:base').map((r) => r.key);
    if (bases.length === 0) return undefined;
    const cameras = resources.filter((r) => r.api === CAMERA_API).map((r) => r.key);
    return resolveDrive(layout, cameras, bases).cameras[0];
  }

  readonly #onLayout = (event: CardLayoutEvent): void => {
    const layout = this._layout;
    const keys = (this.#resources.value?.resources ?? [])
      .map((r) => r.key)
      .filter((k) => !layout.hidden.includes(k));
    switch (event.action) {
      case 'collapse':
      case 'expand':
        this.#setLayout({
          ...layout,
          collapsed: toggle(layout.collapsed, event.key, event.action === 'collapse'),
        });
        break;
      case 'up':
      case 'down':
        this.#setLayout(moveKey(layout, keys, event.key, event.action === 'up' ? -1 : 1));
        break;
      case 'hide':
        this.#setLayout({ ...layout, hidden: toggle(layout.hidden, event.key, true) });
        break;
    }
  };

  #setLayout(layout: LayoutPrefs): void {
    this._layout = layout;
    const key = this.#machineKey.value;
    if (key !== undefined) saveLayout(window.localStorage, key, layout);
  }
}

/** The resources the dashboard shows, de-duplicated, in their default order. */
function userFacing(names: readonly ResourceNameLike[]): Resource[] {
  const unique = new Map(names.filter(isUserFacing).map((n) => [toResource(n).key, toResource(n)]));
  return sortResources([...unique.values()]);
}

/** A list's identity, to tell whether ResourceNames changed. */
function keysOf(resources: readonly Resource[]): string {
  return resources
    .map((r) => r.key)
    .sort()
    .join('\n');
}

/** What the status panel can show of a machine that reports only ResourceNames: names, no health. */
function namesOnlyView(resources: readonly Resource[] | undefined): MachineStatusView | undefined {
  if (!resources) return undefined;
  return {
    state: 'unknown',
    configRevision: '',
    configUpdatedMs: undefined,
    resources: new Map(
      resources.map((resource) => [
        resource.key,
        { resource, state: 'unknown', error: '', revision: '', lastUpdatedMs: undefined },
      ]),
    ),
  };
}

customElements.define('machine-dashboard', MachineDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'machine-dashboard': MachineDashboard;
  }
}
