// The console's progressive enhancement: every page reads and works without it.
import { copyButtons } from './copy-buttons.js';
import { liveCounts } from './live-counts.js';
import { popupPreview } from './popup-preview.js';
import { segmentPreview } from './segment-preview.js';
import { uploadProgress } from './upload-progress.js';

liveCounts(document);
segmentPreview(document);
popupPreview(document);
copyButtons(document);
uploadProgress(document);
