/**
 * Starts the download of a URL the host serves as an attachment, as a click on an
 * `<a download>` would: the same in the browser host and the Electron window.
 */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
