/** Files dragged from the desktop onto an element: the drag state, the cursor, and the drop. */

export interface FileDropHandlers {
  /** Whether a drop would be taken now; the cursor says "no" while it would not. */
  canDrop: () => boolean;
  /** Files are being dragged over the element (true), or have left it or been dropped (false). */
  onOver: (over: boolean) => void;
  /** Files were dropped while `canDrop()` said yes. */
  onDrop: (data: DataTransfer) => void;
}

/** Only a drag of files counts: text or a link dragged within the page changes nothing. */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Listens for files dragged onto `target`; returns what stops listening (an `$effect` teardown). */
export function listenForFileDrops(target: HTMLElement, handlers: FileDropHandlers): () => void {
  // dragenter / dragleave fire for every child crossed: a count says when the pointer really left.
  let depth = 0;
  const enter = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth++;
    handlers.onOver(true);
  };
  const over = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Without preventDefault the browser would open the file instead of dropping it here.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = handlers.canDrop() ? 'copy' : 'none';
  };
  const leave = (): void => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) handlers.onOver(false);
  };
  const drop = (event: DragEvent): void => {
    if (!carriesFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    depth = 0;
    handlers.onOver(false);
    if (handlers.canDrop()) handlers.onDrop(event.dataTransfer);
  };
  target.addEventListener('dragenter', enter);
  target.addEventListener('dragover', over);
  target.addEventListener('dragleave', leave);
  target.addEventListener('drop', drop);
  return () => {
    target.removeEventListener('dragenter', enter);
    target.removeEventListener('dragover', over);
    target.removeEventListener('dragleave', leave);
    target.removeEventListener('drop', drop);
  };
}
