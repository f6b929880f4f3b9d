#!/usr/bin/env bash
# npm run screenshots — regenerates every picture in the README with the real programs (through
# ../shared/harness): Waybar's bar and tooltip on a dark and a light theme, swaybar (i3bar
# protocol), polybar, and tmux's default green status line drawn by a real tmux client in xterm.
# Every picture shows `--demo` (built-in sample accounts: no files, no network) at a pinned clock.
# Needs: the harness (QUOTABAR_HARNESS, else ../shared/harness), its install.sh done, and xterm
# for the tmux picture, pngquant to keep them small. Writes docs/*.png.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
H=${QUOTABAR_HARNESS:-$root/../shared/harness}
[ -d "$H" ] || { echo "screenshots: no harness at $H (set QUOTABAR_HARNESS)"; exit 1; }
. "$H/lib.sh"
cd "$root" && { [ -n "${SKIP_BUILD:-}" ] || npm run -s build; } || exit 1
out="$root/docs"
work=$(mktemp -d /tmp/quotabar-shots.XXXXXX); trap 'rm -rf "$work"' EXIT
export QUOTABAR_NOW=2026-11-22T10:00:00Z TZ=UTC
demo() { echo "node $root/dist/quotabar.cjs --demo $*"; }
fail=0

# A theme: bar and tooltip colours, as a Waybar style sheet would set them.
theme() { # NAME BAR_BG TEXT TOOLTIP_BG BORDER
  cat > "$work/$1.css" <<EOF
* { font-family: "DejaVu Sans", sans-serif; font-size: 16px; border: none; border-radius: 0; min-height: 0; }
window#waybar { background: $2; color: $3; }
#custom-probe { padding: 0 10px; color: $3; }
tooltip { background: $4; border: 1px solid $5; }
tooltip label { color: $3; font-size: 15px; }
EOF
}
theme dark '#1e1e2e' '#cdd6f4' '#181825' '#585b70'
theme light '#eff1f5' '#4c4f69' '#ffffff' '#9ca0b0'

# Waybar: the tooltip needs a pointer hovering; under load it may show late, so try again.
for t in dark light; do
  shot="$work/waybar-$t.png"
  for _ in 1 2 3 4; do
    "$H/waybar-shot.sh" --hover --width 1000 --css "$work/$t.css" "$(demo -f waybar)" "$shot" > "$work/$t.txt" 2>&1
    box=$(sed -n 's/^tooltip_box: x=\([0-9]*\)\.\.\([0-9]*\) y=\([0-9]*\)\.\.\([0-9]*\)$/\1 \2 \3 \4/p' "$work/$t.txt")
    read -r x0 x1 y0 y1 <<< "${box:-0 0 0 0}"
    [ $((x1 - x0)) -gt 200 ] && break
  done
  if [ $((x1 - x0)) -gt 200 ]; then
    python3 "$H/pngtool.py" crop "${shot%.png}-tooltip.png" 0 0 $((x1 + 8)) $((y1 + 8)) "$out/waybar-$t.png"
    echo "waybar ($t): $out/waybar-$t.png"
  else
    echo "waybar ($t): no tooltip appeared (see $work/$t.txt)"; fail=1
  fi
done

# swaybar draws one frame of the i3bar protocol; it must keep its status_command running.
"$H/swaybar-shot.sh" "$(demo -f i3bar); exec sleep 30" "$work/swaybar.png" > "$work/swaybar.txt" 2>&1 \
  && cp "$work/swaybar.png" "$out/swaybar.png" && echo "swaybar: $out/swaybar.png" \
  || { echo "swaybar: failed (see $work/swaybar.txt)"; fail=1; }

"$H/polybar-shot.sh" --width 700 "$(demo -f polybar)" "$work/polybar.png" > "$work/polybar.txt" 2>&1 \
  && cp "$work/polybar.png" "$out/polybar.png" && echo "polybar: $out/polybar.png" \
  || { echo "polybar: failed (see $work/polybar.txt)"; fail=1; }

# tmux: its default status line (green), a real client in a real terminal, on a virtual X display.
if command -v xterm > /dev/null; then
  (
    hx_mkwork
    hx_start_xvfb 1200 60
    hx_wrap_cmd "$(demo -f tmux)" "$HX_WORK/cmd.sh"
    printf 'set -g status-interval 1\nset -g status-right-length 100\nset -g status-right "#(%s) 10:00"\n' \
      "$HX_WORK/cmd.sh" > "$HX_WORK/tmux.conf"
    sock="qbshot$$"
    xterm -geometry 118x3+0+0 -fa 'DejaVu Sans Mono' -fs 12 -bg '#1e1e2e' -fg '#cdd6f4' \
      -e tmux -L "$sock" -f "$HX_WORK/tmux.conf" new-session -s work -n code 'clear; sleep 60' > /dev/null 2>&1 &
    HX_PIDS+=($!)
    sleep 4
    scrot -o -a 0,0,1200,60 "$work/tmux.png" && cp "$work/tmux.png" "$out/tmux.png"
    tmux -L "$sock" kill-server 2> /dev/null
  ) && echo "tmux: $out/tmux.png" || { echo "tmux: failed"; fail=1; }
else
  echo "tmux: skipped (no xterm: apt-get install xterm)"; fail=1
fi

# Fewer colours, smaller files: flat UI pictures lose nothing visible at 64 colours.
if command -v pngquant > /dev/null; then
  for f in waybar-dark waybar-light swaybar polybar tmux; do
    [ -f "$out/$f.png" ] && pngquant --force --skip-if-larger --quality 70-100 64 --output "$out/$f.png" "$out/$f.png"
  done
else
  echo "screenshots: no pngquant (apt-get install pngquant): pictures left unshrunk"
fi
ls -la "$out"/*.png
exit $fail
