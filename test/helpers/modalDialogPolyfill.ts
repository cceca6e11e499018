/**
 * jsdom has <dialog> but not its modal API: `showModal()` that only opens the dialog (sets its
 * `open` attribute). Call it in a dom test's beforeAll; a jsdom that has the API keeps its own.
 */
export function polyfillShowModal(): void {
  if (Object.getOwnPropertyDescriptor(HTMLDialogElement.prototype, 'showModal')) return;
  Object.defineProperty(HTMLDialogElement.prototype, 'showModal', {
    configurable: true,
    value(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    },
  });
}
