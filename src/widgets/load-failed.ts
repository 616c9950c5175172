/**
 * When an entry's own code (a chunk it imports) fails to load, there is no problem screen to show:
 * plain text, which the page can always show (no Lit, no styles of its own: page.css has .boot-note).
 * Shared by both apps' entries.
 */
export function showLoadFailed(): void {
  const message = document.createElement('p');
  message.className = 'boot-note';
  message.setAttribute('role', 'alert');
  message.textContent = 'Part of the app failed to load. Check the network connection and reload the page.';
  document.body.prepend(message);
}
