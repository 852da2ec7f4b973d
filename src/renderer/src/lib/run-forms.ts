/** What the forms and the dialog opened on a listed run share: their props and their keyboard. */
import type { RunSummary } from '../../../shared/run-types';

export interface RunFormProps {
  run: RunSummary;
  /** Closes the form (after Cancel, Escape, or once it has done its work). */
  onclose: () => void;
}

/** A field's keydown handler: Escape closes the form, like Cancel. */
export function escapeCloses(onclose: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onclose();
  };
}

/** An attachment (`{@attach focusOnMount}`): the first field takes the focus as the form opens. */
export function focusOnMount(element: HTMLElement): void {
  element.focus();
}
