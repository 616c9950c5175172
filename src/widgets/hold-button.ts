import { html } from 'lit';
import type { MotionGuard } from '../controllers/motion-guard.ts';

/**
 * A hold-to-run button bound to a MotionGuard: runs while pressed (pointer with capture, or Space /
 * Enter held on the keyboard), stops on any way of letting go. `motion()` is read at press time.
 */
export function holdButton<M>(options: {
  guard: MotionGuard<M>;
  control: string;
  label: string;
  motion: () => M;
  disabled: boolean;
  action: string;
}) {
  const { guard, control } = options;
  const release = () => guard.release(control, 'pointer');
  return html`<button
    data-action=${options.action}
    ?disabled=${options.disabled}
    @pointerdown=${(e: PointerEvent) => {
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      e.preventDefault();
      guard.hold(control, options.motion(), 'press');
    }}
    @pointerup=${release}
    @pointercancel=${release}
    @lostpointercapture=${release}
    @contextmenu=${(e: Event) => e.preventDefault()}
    @keydown=${(e: KeyboardEvent) => {
      if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
        e.preventDefault();
        guard.hold(control, options.motion(), 'press');
      }
    }}
    @keyup=${(e: KeyboardEvent) => {
      if (e.key === ' ' || e.key === 'Enter') {
        e.preventDefault();
        guard.release(control, 'release');
      }
    }}
    @blur=${() => guard.release(control, 'blur')}
  >
    ${options.label}
  </button>`;
}
