#!/usr/bin/env bash
# Regenerates every raster icon in assets/ from the SVG sources in assets/src/.
# The outputs are committed build resources, so neither CI nor `npm run dist` needs these tools.
# Needs (Debian): apt-get install -y librsvg2-bin imagemagick icnsutils
set -euo pipefail
cd "$(dirname "$0")"

RSVG=rsvg-convert
CONVERT=/usr/bin/convert # ImageMagick's, not a look-alike earlier on PATH
for tool in "$RSVG" "$CONVERT" png2icns node; do
  command -v "$tool" >/dev/null || {
    echo "make-icons: $tool not found (apt-get install -y librsvg2-bin imagemagick icnsutils)" >&2
    exit 1
  }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { # render SVG SIZE OUT
  "$RSVG" --width "$2" --height "$2" --keep-aspect-ratio "$1" --output "$3"
}

# --- App icon (Windows, Linux): the favicon drawing below 48 px, the full artwork from 48 px up.
mkdir -p icons
for size in 16 32; do render src/icon-small.svg "$size" "icons/${size}x${size}.png"; done
for size in 48 64 128 256 512 1024; do render src/icon.svg "$size" "icons/${size}x${size}.png"; done
cp icons/1024x1024.png icon.png

# Windows .ico: every size the shell asks for (24 px rendered from the small drawing).
render src/icon-small.svg 24 "$tmp/24.png"
"$CONVERT" icons/16x16.png "$tmp/24.png" icons/32x32.png icons/48x48.png icons/64x64.png \
  icons/128x128.png icons/256x256.png icon.ico

# --- macOS .icns: the artwork on Apple's icon grid (824 px tile on a 1024 px canvas, drop shadow).
node - src/icon.svg "$tmp/icon-macos.svg" <<'EOF'
const fs = require('node:fs');
const [src, out] = process.argv.slice(2);
const svg = fs.readFileSync(src, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
const body = svg.slice(svg.indexOf('>', svg.indexOf('<svg')) + 1, svg.lastIndexOf('</svg>'));
fs.writeFileSync(out, `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
  <defs>
    <filter id="macshadow" x="-20%" y="-20%" width="140%" height="140%">
      <feGaussianBlur in="SourceAlpha" stdDeviation="14"/>
      <feOffset dy="12"/>
      <feComponentTransfer><feFuncA type="linear" slope="0.45"/></feComponentTransfer>
      <feMerge><feMergeNode/><feMergeNode in="SourceGraphic"/></feMerge>
    </filter>
  </defs>
  <g filter="url(#macshadow)"><g transform="translate(100 100) scale(0.8046875)">${body}</g></g>
</svg>
`);
EOF
mac=()
for size in 16 32 48 128 256 512 1024; do
  render "$tmp/icon-macos.svg" "$size" "$tmp/mac-$size.png"
  mac+=("$tmp/mac-$size.png")
done
png2icns icon.icns "${mac[@]}" >/dev/null

# --- Tray icons: one per connection state, 16 and 32 px, each with its @2x. Badge colours are the
# console's status colours (renderer/styles.css --ok, --warn, --danger, --muted); colour is doubled
# by shape (solid dot, ring, cross) for colour-blind users, and the cross needs 32 px.
mkdir -p tray
tray() { # tray STATE LINE_COLOUR BADGE_SMALL BADGE_LARGE
  local state=$1 line=$2 small=$3 large=$4
  sed -e "s|LINE_COLOUR|$line|" -e "s|<!-- BADGE -->|$small|" src/tray.svg >"$tmp/$state-small.svg"
  sed -e "s|LINE_COLOUR|$line|" -e "s|<!-- BADGE -->|$large|" src/tray.svg >"$tmp/$state-large.svg"
  render "$tmp/$state-small.svg" 16 "tray/$state-16.png"
  render "$tmp/$state-large.svg" 32 "tray/$state-16@2x.png"
  render "$tmp/$state-large.svg" 32 "tray/$state-32.png"
  render "$tmp/$state-large.svg" 64 "tray/$state-32@2x.png"
}
dot='<circle cx="24" cy="24" r="5.5" fill="COLOUR"/>'
ring='<circle cx="24" cy="24" r="4.25" fill="none" stroke="#f5b544" stroke-width="2.5"/>'
cross='<path d="M22 22l4 4M26 22l-4 4" stroke="#ffffff" stroke-width="1.6" stroke-linecap="round"/>'
tray connected '#38bdf8' "${dot/COLOUR/#3ecf8e}" "${dot/COLOUR/#3ecf8e}"
tray reconnecting '#38bdf8' "$ring" "$ring"
tray disconnected '#64748b' "${dot/COLOUR/#f87171}" "${dot/COLOUR/#f87171}$cross"
tray idle '#64748b' "${dot/COLOUR/#8089a0}" "${dot/COLOUR/#8089a0}"

echo "make-icons: wrote icons/, icon.png, icon.ico, icon.icns and tray/ in $(pwd)"
