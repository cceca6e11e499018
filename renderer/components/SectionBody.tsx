import type { SectionView } from '../live/state.js';
import { LazyChartView as ChartView } from './LazyChartView.js';
import { StatTiles } from './StatTiles.js';
import { TableView } from './TableView.js';
import { checkView } from '../../common/viewColumns.js';
import { ViewNotice } from './ViewNotice.js';

/** A section's view, with a notice of what its result lacks for it (viewColumns). */
export function SectionBody({ section }: { section: SectionView }) {
  const { info, update } = section;
  if (!update) return null;
  const check = checkView(info.view, update);
  return (
    <>
      <ViewNotice check={check} />
      {check.drawable && <ViewBody section={section} />}
    </>
  );
}

/** The section's view itself: tiles, table or chart. */
function ViewBody({ section }: { section: SectionView }) {
  const { info, update } = section;
  if (!update) return null;
  switch (info.view.type) {
    case 'stat':
      return (
        <StatTiles
          view={info.view}
          update={update}
          previous={section.previous}
          history={section.kpiHistory}
        />
      );
    case 'table':
      return <TableView update={update} changes={section.changes} />;
    case 'line':
    case 'area':
    case 'bar':
      return <ChartView view={info.view} update={update} />;
  }
}
