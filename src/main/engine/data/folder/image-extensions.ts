// The list lives in shared so the renderer can leave non-images out of an upload before sending them.
export { IMAGE_EXTENSIONS, extensionOf, isImageFileName } from '../../../../shared/image-extensions';
