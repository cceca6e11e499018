import type { ReactNode } from 'react';
export interface SparklineProps {
  values: readonly number[];
  width?: number;
  height?: number;
  /** Spoken and shown on hover; without it the sparkline is hidden from assistive technology. */
  label?: string;
  className?: string;
}

/**
 * A tiny inline SVG trend line (no chart library): the line, a faint area under it, and a dot on
 * the latest value. Colour comes from CSS (`currentColor`). The scale starts at zero for
 * non-negative series, so a flat line near the bottom means "small", not "unchanged noise".
 */
export function Sparkline({ values, width = 96, height = 24, label, className }: SparklineProps) {
  const pad = 2;
  const innerW = width - pad * 2;
  const innerH = height - pad * 2;
  const finite = values.filter((v) => Number.isFinite(v));
  const classes = `sparkline${className ? ` ${className}` : ''}`;
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true };

  const frame = (children: ReactNode) => (
    <svg
      className={classes}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      {...a11y}
    >
      {label && <title>{label}</title>}
      {children}
    </svg>
  );

  if (finite.length < 2) {
    return frame(
      <line
        className="sparkline-empty"
        x1={pad}
        x2={width - pad}
        y1={height - pad}
        y2={height - pad}
      />,
    );
  }

  const max = Math.max(...finite);
  const minValue = Math.min(...finite);
  const min = minValue >= 0 ? 0 : minValue;
  const span = max - min || 1;
  const step = innerW / (finite.length - 1);
  const points = finite.map((v, i) => {
    const x = pad + i * step;
    const y = pad + innerH - ((v - min) / span) * innerH;
    return [x, y] as const;
  });
  const line = points
    .map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`)
    .join('');
  const area = `${line}L${(pad + innerW).toFixed(1)},${height - pad}L${pad},${height - pad}Z`;
  const last = points[points.length - 1];

  return frame(
    <>
      <path className="sparkline-area" d={area} />
      <path className="sparkline-line" d={line} />
      {last && <circle className="sparkline-dot" cx={last[0]} cy={last[1]} r={1.8} />}
    </>,
  );
}
