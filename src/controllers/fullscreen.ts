import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { signalStopDriving } from '../lib/stop-signal.ts';

type KeyboardLock = { lock?: (keys: string[]) => Promise<void> };

/**
 * Fullscreen for one element of a card or view, with Escape kept as the global stop: the keyboard is
 * locked where the browser allows (a press reaches the page, StopAll; holding it leaves
 * fullscreen). Where it cannot be locked the browser takes Escape to leave fullscreen, so leaving
 * any way but this controller's own toggle stops what this page drives (and, when it drives
 * nothing, sends nothing: it may not have been an Escape).
 */
export class FullscreenController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #target: () => HTMLElement | null | undefined;
  #active = false;
  #leaving = false;

  constructor(host: ReactiveControllerHost & HTMLElement, target: () => HTMLElement | null | undefined) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  get active(): boolean {
    return this.#active;
  }

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.#onChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.#onChange);
    if (this.#isFullscreen()) {
      this.#leaving = true;
      void document.exitFullscreen().catch(() => undefined);
    }
    this.#active = false;
  }

  /** document.fullscreenElement is retargeted to the outermost shadow host: ask the element's root. */
  #isFullscreen(): boolean {
    const el = this.#target();
    if (!el) return false;
    return (el.getRootNode() as Document | ShadowRoot).fullscreenElement === el;
  }

  async toggle(): Promise<void> {
    if (this.#isFullscreen()) {
      this.#leaving = true;
      await document.exitFullscreen().catch(() => undefined);
      return;
    }
    const el = this.#target();
    if (!el) return;
    try {
      await el.requestFullscreen();
      const keyboard = (navigator as Navigator & { keyboard?: KeyboardLock }).keyboard;
      await keyboard?.lock?.(['Escape']).catch(() => undefined);
    } catch {
      // Refused (no user gesture, a frame without permission): nothing changes.
    }
  }

  readonly #onChange = (): void => {
    const full = this.#isFullscreen();
    if (this.#active && !full && !this.#leaving) signalStopDriving();
    this.#leaving = false;
    if (full !== this.#active) {
      this.#active = full;
      this.#host.requestUpdate();
    }
  };
}
