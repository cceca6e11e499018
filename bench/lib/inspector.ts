/** The inspector client moved to testkit/ (tests measure heaps after GC too). */
export { InspectorClient, type HeapFigures } from '../../testkit/inspector.js';
