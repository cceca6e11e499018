import type { DashboardInfo } from '../../common/alerts.js';
import { sectionCardId } from '../components/SectionCard.js';

/** Frames to wait for a dashboard switch to render the card. */
const FRAMES_TO_WAIT = 10;

function focusCard(card: HTMLElement): void {
  card.scrollIntoView({ block: 'center', behavior: 'auto' });
  card.focus({ preventScroll: true });
}

/**
 * Scrolls to a section's card and focuses it. A card that is not on the dashboard on screen is
 * found by switching to the page that has it (the "All sections" tab, else the first dashboard
 * listing it), as a click on that tab would. Returns false when there is no such card.
 */
export function focusSectionCard(
  section: string,
  dashboards: DashboardInfo[] | undefined,
  doc: Document = document,
): boolean {
  const find = () => doc.getElementById(sectionCardId(section));
  const card = find();
  if (card) {
    focusCard(card);
    return true;
  }
  const page = dashboards?.find((d) => d.sections.includes(section))?.id;
  const tab =
    doc.getElementById('dashboard-tab-all') ??
    (page !== undefined ? doc.getElementById(`dashboard-tab-${page}`) : null);
  if (!tab) return false;
  tab.click();
  const view = doc.defaultView;
  let frames = 0;
  const retry = () => {
    const shown = find();
    if (shown) focusCard(shown);
    else if (++frames < FRAMES_TO_WAIT) view?.requestAnimationFrame(retry);
  };
  view?.requestAnimationFrame(retry);
  return true;
}
