/**
 * Sharing: the Share menu, the file drop zone around the canvas and the `#g=` link opener.
 * They take the editor's document and actions as props; see each component.
 */
export { FileDropZone, openFile, type FileDropZoneProps } from './FileDropZone';
export { ShareMenu, type ShareMenuProps } from './ShareMenu';
export { describeOpened, type DesignSource, type Notify, type OpenedDesign } from './types';
export { useShareLinkOpener, type ShareLinkOpenerOptions } from './useShareLinkOpener';
