/**
 * A chart card as a PNG, drawn from what is on screen: the title, the legend (series names in
 * their colours) and each panel's recharts SVG, serialised and painted onto a canvas at twice the
 * CSS size, on the card's own background. Nothing is fetched: the SVG goes through a data: URL,
 * which the console's CSP allows for images, and leaves the canvas untainted.
 */

const SCALE = 2;
const PAD = 16;
const LEGEND_LINE = 22;

interface Drawn {
  image: HTMLImageElement;
  width: number;
  height: number;
}

/** The PNG of a `figure.chart`, or a rejection saying why there is none. */
export async function chartPng(figure: Element, title: string): Promise<Blob> {
  const svgs = [...figure.querySelectorAll('.chart-canvas')]
    .map((canvas) => canvas.querySelector<SVGSVGElement>('svg.recharts-surface'))
    .filter((svg): svg is SVGSVGElement => svg !== null);
  if (svgs.length === 0) throw new Error('the chart has not been drawn yet');
  const panels = await Promise.all(svgs.map(rasterisable));
  const legend = [...figure.querySelectorAll<HTMLElement>('.chart-legend li')].map((item) => {
    const name = [...item.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join('')
      .trim();
    const axis = item.querySelector('.chart-legend-axis')?.textContent.trim();
    const swatch = item.querySelector('.swatch') ?? item;
    return {
      label: axis ? `${name} (${axis})` : name,
      color: getComputedStyle(swatch).color,
      dashed: swatch.classList.contains('swatch--dashed'),
    };
  });

  const text = getComputedStyle(figure).color;
  const font = getComputedStyle(figure).fontFamily;
  const width = Math.max(...panels.map((p) => p.width)) + PAD * 2;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw on a canvas');
  // The legend wraps like the card's: items laid out in lines that fit the width.
  const legendFont = `13px ${font}`;
  context.font = legendFont;
  const placed: { x: number; line: number; item: (typeof legend)[number] }[] = [];
  let x = PAD;
  let line = 0;
  for (const item of legend) {
    const itemWidth = 16 + context.measureText(item.label).width;
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      line += 1;
    }
    placed.push({ x, line, item });
    x += itemWidth + 20;
  }
  const titleHeight = 28;
  const legendHeight = legend.length > 0 ? (line + 1) * LEGEND_LINE : 0;
  const height =
    PAD + titleHeight + legendHeight + panels.reduce((sum, p) => sum + p.height, 0) + PAD;

  canvas.width = Math.ceil(width * SCALE); // resets the context: drawing starts here
  canvas.height = Math.ceil(height * SCALE);
  context.scale(SCALE, SCALE);
  // The page behind first: a card's background may be translucent.
  context.fillStyle = backgroundOf(document.body);
  context.fillRect(0, 0, width, height);
  context.fillStyle = backgroundOf(figure);
  context.fillRect(0, 0, width, height);

  context.fillStyle = text;
  context.textBaseline = 'middle';
  context.font = `600 16px ${font}`;
  context.fillText(title, PAD, PAD + titleHeight / 2);
  context.font = legendFont;
  for (const { x: at, line: row, item } of placed) {
    const y = PAD + titleHeight + row * LEGEND_LINE + LEGEND_LINE / 2;
    context.fillStyle = item.color;
    if (item.dashed) {
      for (const dx of [0, 4, 8]) context.fillRect(at + dx, y - 1, 2.5, 2.5);
    } else context.fillRect(at, y - 5, 10, 10);
    context.fillStyle = text;
    context.fillText(item.label, at + 16, y);
  }
  let y = PAD + titleHeight + legendHeight;
  for (const panel of panels) {
    context.drawImage(panel.image, PAD, y, panel.width, panel.height);
    y += panel.height;
  }
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('no PNG was made'))),
      'image/png',
    );
  });
}

/** The SVG as an image element, its size fixed and its inherited text style written in. */
async function rasterisable(svg: SVGSVGElement): Promise<Drawn> {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const style = getComputedStyle(svg);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.style.fontFamily = style.fontFamily;
  copy.style.fontSize = style.fontSize;
  copy.style.color = style.color;
  // The live cursor and tooltip layers are not part of the chart.
  for (const layer of copy.querySelectorAll('.recharts-tooltip-cursor, .recharts-active-dot')) {
    layer.remove();
  }
  const xml = new XMLSerializer().serializeToString(copy);
  const image = new Image(width, height);
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
  await image.decode();
  return { image, width, height };
}

/** The first background colour behind the element that is not transparent (the card's). */
function backgroundOf(element: Element): string {
  for (let at: Element | null = element; at; at = at.parentElement) {
    const color = getComputedStyle(at).backgroundColor;
    if (color !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(color)) return color;
  }
  return '#ffffff';
}
